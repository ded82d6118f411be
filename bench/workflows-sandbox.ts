/**
 * The Lever sandbox for `bench:workflows`, with `count` applications made in advance to the first
 * published posting that has requirement lists (text resumes naming 3–5 of its requirements), so
 * that making them is not part of any measured phase.
 */
import { randomBytes } from "node:crypto";
import { startSandbox } from "../src/sandbox/index.ts";

export async function startBenchSandbox(
  count: number,
): Promise<{ url: string; apiKey: string; performAs: string; opportunities: string[]; close(): Promise<void> }> {
  const sandbox = await startSandbox({ port: 0, seed: 11, rateLimit: false, candidates: 4 });
  const performAs = sandbox.demo!.userIdsByName.get("Dana Whitfield")!;
  const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
  const items = posting.content.lists.flatMap((l) => [...l.content.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "")));
  const opportunities: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = [
      "Bench Candidate",
      "Experience",
      "Staff Engineer, Northwind, January 2015 - present",
      ...items.slice(0, 3 + (i % 3)).map((x) => `- ${x}`),
      "Education",
      "BSc Computer Science, 2010 - 2014",
    ].join("\n");
    const email = `bench${i}.${randomBytes(3).toString("hex")}@example.net`;
    opportunities.push(
      sandbox.actions.applyToPosting(posting.id, {
        name: `Bench ${i}`,
        email,
        resume: { name: "cv.txt", contentType: "text/plain", bytes: new TextEncoder().encode(text) },
      }).opportunityId,
    );
  }
  return { url: sandbox.url, apiKey: sandbox.apiKey, performAs, opportunities, close: () => sandbox.close() };
}
