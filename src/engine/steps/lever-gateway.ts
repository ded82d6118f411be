/**
 * Adapts the Lever client to the engine's `LeverGateway`: opportunities are read with their
 * application and stage expanded, postings whole (a single posting carries its content), lists are gathered whole (confidential
 * records included where the connection may read them), and the newest resume that has a file is downloaded through the API.
 */
import { LeverApiError, isUnprocessableFile, newestResumeWithFile, type LeverClient } from "../../lever/index.ts";
import type { LeverGateway } from "../ports.ts";
import type { ProfileFormInput } from "../../lever/index.ts";
import type { FormTemplateLike } from "./profile-form.ts";

const MIME_BY_EXT: Record<string, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  doc: "application/msword",
  txt: "text/plain",
  rtf: "application/rtf",
  html: "text/html",
};

export interface LeverGatewayOptions {
  /**
   * Whether the connection may read confidential records (the OAuth connection's `confidential`
   * setting; default true). Lever's lists leave confidential postings and opportunities out unless
   * asked for `confidentiality=all`, so rediscovery and a contact's opportunities ask for it. A
   * connection whose key turns out to lack the access (Lever answers 403) is asked again without it,
   * and not asked again afterwards.
   */
  confidential?: boolean | undefined;
}

/** The engine's view of one Lever connection. */
export function leverGateway(client: LeverClient, options: LeverGatewayOptions = {}): LeverGateway {
  let confidential = options.confidential ?? true;
  /** Runs a list with `confidentiality=all` when the connection may, falling back on a 403. */
  async function withConfidential<T>(read: (filter: { confidentiality?: "all" }) => Promise<T>): Promise<T> {
    if (!confidential) return read({});
    try {
      return await read({ confidentiality: "all" });
    } catch (error) {
      if (!(error instanceof LeverApiError && error.status === 403)) throw error;
      confidential = false;
      return read({});
    }
  }
  return {
    async getOpportunity(id) {
      return client.getOpportunity(id, { expand: ["applications", "stage"] });
    },
    async getPosting(id) {
      return client.getPosting(id);
    },
    async listPostings(filters = {}) {
      // Asked per channel: a published list without one leaves out internal-only postings.
      return withConfidential((c) => client.listPostingsOnEveryChannel({ ...(filters.state ? { state: filters.state } : {}), ...c }).toArray());
    },
    async listStages() {
      return (await client.listStages().toArray()).map((s) => ({ id: s.id, text: s.text ?? s.id }));
    },
    async listArchiveReasons() {
      return (await client.listArchiveReasons().toArray()).map((r) => ({ id: r.id, text: r.text ?? r.id, type: r.type ?? null }));
    },
    async listUsers() {
      return (await client.listUsers().toArray()).map((u) => ({
        id: u.id,
        name: u.name ?? null,
        email: u.email ?? null,
        deactivatedAt: u.deactivatedAt ?? null,
      }));
    },
    listNotes: (id) => client.listNotes(id).toArray(),
    listFeedback: (id) => client.listFeedback(id).toArray(),
    listInterviews: (id) => client.listInterviews(id).toArray(),
    async getInterview(opportunityId, interviewId) {
      try {
        return await client.getInterview(opportunityId, interviewId);
      } catch (error) {
        if (error instanceof LeverApiError && error.status === 404) return null;
        throw error;
      }
    },
    async opportunityIdsOfContact(contactId) {
      return withConfidential(async (c) => {
        const ids: string[] = [];
        for await (const opp of client.listOpportunities({ contact_id: contactId, ...c })) ids.push(opp.id);
        return ids;
      });
    },
    listPanels: (id) => client.listPanels(id).toArray(),
    listFiles: (id) => client.listFiles(id).toArray(),
    listOffers: (id) => client.listOffers(id).toArray(),
    async latestResume(opportunityId) {
      const newest = newestResumeWithFile(await client.listResumes(opportunityId).toArray());
      if (!newest) return null;
      const named = newest.file?.name ?? `resume.${newest.file?.ext ?? "pdf"}`;
      let file: Awaited<ReturnType<LeverClient["downloadResume"]>>;
      try {
        file = await client.downloadResume(opportunityId, newest.id);
      } catch (error) {
        // Lever answers 422 for a file it could not process: nothing to read, and retrying won't help.
        if (!isUnprocessableFile(error)) throw error;
        const ext = (newest.file?.ext ?? named.split(".").pop() ?? "").toLowerCase();
        return {
          id: newest.id,
          filename: named,
          mime: MIME_BY_EXT[ext] ?? "application/octet-stream",
          unprocessable: `Lever could not process the file (status ${newest.file?.status ?? "unknown"})`,
        };
      }
      const filename = file.filename ?? named;
      const ext = (newest.file?.ext ?? filename.split(".").pop() ?? "").toLowerCase();
      return { id: newest.id, filename, mime: file.contentType?.split(";")[0] ?? MIME_BY_EXT[ext] ?? "application/octet-stream", bytes: file.bytes };
    },
    async findOpportunityByEmail(email) {
      for await (const opp of client.listOpportunities({ email })) return opp;
      return null;
    },
    async addNote(id, note, o) {
      const r = await client.addNote(id, { value: note.value, secret: note.secret, score: note.score as 1 | 2 | 3 | 4 | undefined }, o);
      return { id: r.id };
    },
    addTags: (id, tags, o) => client.addTags(id, tags, o),
    removeTags: (id, tags, o) => client.removeTags(id, tags, o),
    addLinks: (id, links, o) => client.addLinks(id, links, o),
    removeLinks: (id, links, o) => client.removeLinks(id, links, o),
    changeStage: (id, stageId, o) => client.changeStage(id, stageId, o),
    archive: (id, reasonId, o) => client.archive(id, reasonId, o),
    async createPanel(id, panel, o) {
      const r = await client.createPanel(id, panel as unknown as Parameters<LeverClient["createPanel"]>[1], o);
      return { id: r.id };
    },
    async updatePanel(id, panelId, panel, o) {
      const r = await client.updatePanel(id, panelId, panel as unknown as Parameters<LeverClient["updatePanel"]>[2], o);
      return { id: r.id };
    },
    listFormTemplates: async () => (await client.listFormTemplates().toArray()) as FormTemplateLike[],
    async createProfileForm(id, form, o) {
      const r = await client.createProfileForm(id, form as ProfileFormInput, o);
      return { id: r.id };
    },
    async createOpportunity(body, o) {
      const r = await client.createOpportunity(body as Parameters<LeverClient["createOpportunity"]>[0], o);
      return { id: r.opportunity.id };
    },
  };
}
