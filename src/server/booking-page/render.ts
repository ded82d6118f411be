/**
 * The booking page's HTML, rendered on the server: readable with no script at all (forms post, the
 * zone picker submits with its button), with one small same-origin script that shows the times
 * in the browser's zone on first load. Every text is escaped.
 */
import type { LinkLanguage, PublicOption, PublicView } from "../../scheduling/index.ts";
import { attendanceTextsFor } from "./attendance-texts.ts";
import { dayHeading, dayKey, knownZones, timeRange, whenText, zoneName } from "./dates.ts";
import { textsFor } from "./texts.ts";

export const SCRIPT_PATH = "/book/assets/page.js";
export const STYLE_PATH = "/book/assets/page.css";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function shell(language: LinkLanguage, title: string, body: string, zone?: string): string {
  return `<!doctype html>
<html lang="${language}"${zone ? ` data-zone="${escapeHtml(zone)}"` : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${STYLE_PATH}">
<script src="${SCRIPT_PATH}" defer></script>
</head>
<body>
<main id="main">
${body}
</main>
</body>
</html>`;
}

/** The generic page for unknown, expired and over-limit links (no detail either way). */
export function renderMessage(language: LinkLanguage, message: string): string {
  return shell(language, textsFor(language).title, `<h1>${escapeHtml(textsFor(language).title)}</h1>\n<p role="status">${escapeHtml(message)}</p>`);
}

export interface PageState {
  token: string;
  zone: string;
  view: PublicView;
  options: PublicOption[];
  /** When the candidate pressed "I'll be there" for the booked time (ISO), if they did. */
  confirmedAt?: string | undefined;
  notice?: "taken" | "booked" | "moved" | "move-requested" | "cancelled" | "cancel-requested" | "failed" | undefined;
}

function optionList(s: PageState, action: "book"): string {
  const t = textsFor(s.view.language);
  if (s.options.length === 0) return `<p>${escapeHtml(t.none)}</p>`;
  const days = new Map<string, PublicOption[]>();
  for (const o of s.options) {
    const k = dayKey(o.start, s.zone);
    days.set(k, [...(days.get(k) ?? []), o]);
  }
  const base = `/book/${encodeURIComponent(s.token)}`;
  const groups = [...days.values()].map((opts, i) => {
    const id = `day-${i}`;
    const buttons = opts
      .map((o) => {
        const label = timeRange(o.start, o.end, s.zone, s.view.language);
        const full = whenText(o.start, o.end, s.zone, s.view.language);
        return `<li><form method="post" action="${base}/${action}"><input type="hidden" name="start" value="${escapeHtml(o.start)}"><input type="hidden" name="tz" value="${escapeHtml(s.zone)}"><button type="submit" aria-label="${escapeHtml(`${t.book}: ${full}`)}">${escapeHtml(label)}</button></form></li>`;
      })
      .join("");
    return `<section aria-labelledby="${id}"><h3 id="${id}">${escapeHtml(dayHeading(opts[0]!.start, s.zone, s.view.language))}</h3><ul class="slots">${buttons}</ul></section>`;
  });
  return groups.join("\n");
}

function zonePicker(s: PageState): string {
  const t = textsFor(s.view.language);
  const zones = knownZones();
  if (!zones.includes(s.zone)) zones.unshift(s.zone);
  const options = zones.map((z) => `<option${z === s.zone ? " selected" : ""}>${escapeHtml(z)}</option>`).join("");
  return `<form method="get" action="/book/${encodeURIComponent(s.token)}" class="zone"><label for="tz">${escapeHtml(t.zone)}</label> <select id="tz" name="tz">${options}</select> <button type="submit">${escapeHtml(t.show)}</button></form>
<p class="zone-now">${escapeHtml(zoneName(s.zone, s.view.language))}</p>`;
}

export function renderPage(s: PageState): string {
  const t = textsFor(s.view.language);
  const v = s.view;
  const parts: string[] = [`<h1>${escapeHtml(t.title)}</h1>`, `<p>${escapeHtml(t.hello(v.firstName))}</p>`];
  parts.push(`<p>${escapeHtml(t.intro(v.title, v.minutes, v.sessions.length))} ${escapeHtml(v.format === "onsite" ? t.onsite : t.video)}.</p>`);
  const notices: Record<NonNullable<PageState["notice"]>, string> = {
    taken: t.taken,
    booked: t.booked,
    moved: t.moved,
    "move-requested": t.moveRequested,
    cancelled: t.cancelled,
    "cancel-requested": t.cancelRequested,
    failed: t.failed,
  };
  if (s.notice) parts.push(`<p role="alert" class="notice">${escapeHtml(notices[s.notice])}</p>`);
  if (v.status === "cancelled") {
    if (s.notice !== "cancelled") parts.push(`<p>${escapeHtml(t.cancelled)}</p>`);
    return shell(v.language, t.title, parts.join("\n"), s.zone);
  }
  if (v.status === "cancel_requested") {
    if (s.notice !== "cancel-requested") parts.push(`<p>${escapeHtml(t.cancelRequested)}</p>`);
    return shell(v.language, t.title, parts.join("\n"), s.zone);
  }
  parts.push(zonePicker(s));
  const base = `/book/${encodeURIComponent(s.token)}`;
  if (v.booked) {
    const sessions = v.booked.sessions.map((x) => `<li>${escapeHtml(timeRange(x.start, x.end, s.zone, v.language))} ${escapeHtml(x.title)}</li>`).join("");
    parts.push(
      `<section aria-labelledby="yours" class="booked"><h2 id="yours">${escapeHtml(t.yourTime)}</h2><p><strong>${escapeHtml(whenText(v.booked.start, v.booked.end, s.zone, v.language))}</strong></p><ul>${sessions}</ul>` +
        (v.joinUrl ? `<p>${escapeHtml(t.join)}: <a href="${escapeHtml(v.joinUrl)}" rel="noreferrer">${escapeHtml(v.joinUrl)}</a></p>` : "") +
        `<p><a href="${base}/interview.ics" download="interview.ics">${escapeHtml(t.addToCalendar)}</a></p>` +
        (v.status === "booked" ? attend(s, base) : "") +
        `<form method="post" action="${base}/cancel"><button type="submit" class="secondary">${escapeHtml(t.cancel)}</button></form></section>`,
    );
    parts.push(`<h2>${escapeHtml(t.moveIt)}</h2>`);
  } else {
    parts.push(`<h2>${escapeHtml(t.pick)}</h2>`);
  }
  parts.push(optionList(s, "book"));
  return shell(v.language, t.title, parts.join("\n"), s.zone);
}

/** "I'll be there": a one-click form (the reminders link to `#attend`), or that they confirmed and when. */
function attend(s: PageState, base: string): string {
  const a = attendanceTextsFor(s.view.language);
  if (s.confirmedAt) {
    const when = new Intl.DateTimeFormat(a.locale, { timeZone: s.zone, dateStyle: "long", timeStyle: "short" }).format(new Date(s.confirmedAt));
    return `<p id="attend" role="status" class="confirmed">${escapeHtml(a.confirmed(when))}</p>`;
  }
  return `<div id="attend"><h3>${escapeHtml(a.heading)}</h3><p>${escapeHtml(a.ask)}</p><form method="post" action="${base}/confirm"><input type="hidden" name="tz" value="${escapeHtml(s.zone)}"><button type="submit">${escapeHtml(a.button)}</button></form></div>`;
}

/** The page's own style: one column, large targets, readable at 320 px. */
export const PAGE_CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fafafa}
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .25rem}
.slots{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}.slots form{margin:0}
button{font:inherit;min-height:44px;padding:.5rem .9rem;border:1px solid #1d4ed8;border-radius:.4rem;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#9f1239;border-color:#9f1239}button:focus-visible,a:focus-visible,select:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
select{font:inherit;min-height:44px;max-width:100%}.zone{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.zone-now{color:#444;margin:.25rem 0 0}
.notice{padding:.75rem;border-left:4px solid #1d4ed8;background:#eef2ff}.booked{padding:.75rem;border:1px solid #ccc;border-radius:.5rem;background:#fff}.confirmed{padding:.5rem .75rem;border-left:4px solid #15803d;background:#f0fdf4}a{color:#1d4ed8;overflow-wrap:anywhere}`;

/**
 * The page's only script: on first load, the times are shown in the browser's own zone. The picker
 * keeps its button (changing a select must not move the page under a keyboard user).
 */
export const PAGE_JS = `(function(){var f=document.querySelector("form.zone");if(!f)return;var s=f.querySelector("select");
var u=new URL(location.href);if(u.searchParams.has("tz"))return;try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;
if(z&&z!==document.documentElement.dataset.zone&&[].some.call(s.options,function(o){return o.value===z})){u.searchParams.set("tz",z);location.replace(u.href)}}catch(e){}})();`;
