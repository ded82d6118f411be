/**
 * "Copy link" beside a scheduling proposal whose run made the candidate a self-scheduling link for
 * the coordinator to send (`selfSchedule: link`). The page is told only that there is a link; the
 * link itself is asked for on the click (the server audits who asked), copied to the clipboard and
 * shown once for copying by hand. Nothing shows for people who may not decide the proposal.
 */
import { useEffect, useState } from "react";
import { ApiError, get, post } from "../api.ts";

interface LinkState {
  status: string;
  expiresAt: string;
}

export function BookingLinkCopy({ proposalId }: { proposalId: string }) {
  const [link, setLink] = useState<LinkState | null>(null);
  const [url, setUrl] = useState<string | undefined>();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const path = `/console/api/proposals/${encodeURIComponent(proposalId)}/booking-link`;

  useEffect(() => {
    get<{ bookingLink: LinkState }>(path).then(
      (r) => setLink(r.bookingLink),
      () => setLink(null),
    );
  }, [path]);

  if (!link) return null;
  const until = new Date(link.expiresAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

  const copy = async () => {
    setBusy(true);
    try {
      const r = await post<{ bookingLink: { url: string } }>(path);
      setUrl(r.bookingLink.url);
      try {
        await navigator.clipboard.writeText(r.bookingLink.url);
        setNote("Copied: paste it into your message to the candidate.");
      } catch {
        setNote("Copy the link below into your message to the candidate.");
      }
    } catch (error) {
      setNote(error instanceof ApiError ? error.message : "The link could not be fetched.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sched-link">
      <p>
        The candidate can also pick a time for the whole panel themselves, with their own booking link (
        {link.status === "open" ? `books until ${until}` : link.status.replace("_", " ")}).
      </p>
      <button type="button" disabled={busy} onClick={() => void copy()}>
        Copy link
      </button>
      {url && <input type="text" readOnly value={url} aria-label="The candidate's booking link" onFocus={(e) => e.currentTarget.select()} />}
      <p role="status" className="small muted">
        {note}
      </p>
    </div>
  );
}
