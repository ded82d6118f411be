/**
 * Parses every committed document of the external corpus and scores it against its label. Needs
 * none of the producers' tools: it reads the files in `files/`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseResume, type ParsedResume } from "../../../src/screening/index.ts";
import type { ExternalIndex, ExternalTruth } from "./labels.ts";
import { scoreDocument, scoreProducers, type DocumentScore, type ProducerScore } from "./score.ts";

export const EXTERNAL_FILES = join(import.meta.dirname, "files");

export interface EvaluatedDocument {
  producer: string;
  file: string;
  truth: ExternalTruth;
  parsed: ParsedResume;
  score: DocumentScore;
}

/** Reads the corpus index. */
export function externalIndex(dir = EXTERNAL_FILES): ExternalIndex {
  return JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as ExternalIndex;
}

/** Parses and scores every document; `perSecond` is full-parse throughput over the corpus. */
export async function evaluateExternalCorpus(dir = EXTERNAL_FILES): Promise<{ documents: EvaluatedDocument[]; producers: ProducerScore[]; perSecond: number }> {
  const index = externalIndex(dir);
  const documents: EvaluatedDocument[] = [];
  const started = performance.now();
  for (const d of index.documents) {
    const truth = JSON.parse(readFileSync(join(dir, d.truth), "utf8")) as ExternalTruth;
    const bytes = new Uint8Array(readFileSync(join(dir, d.file)));
    const parsed = await parseResume(bytes, { filename: d.file.split("/").pop()!, asOf: index.asOf, ocr: false });
    documents.push({ producer: d.producer, file: d.file, truth, parsed, score: scoreDocument(parsed, truth) });
  }
  const perSecond = documents.length / ((performance.now() - started) / 1000);
  return { documents, producers: scoreProducers(documents), perSecond };
}
