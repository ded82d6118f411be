/**
 * Rediscovery's semantic match: embeddings of indexed profiles (stored per model in
 * `screening_profile_embeddings` as real[]) and of postings, compared by cosine similarity in SQL.
 * Portable to every PostgreSQL and PGlite; when the server has pgvector installed (migration 0091
 * enables it where the server offers it), the same comparison runs in pgvector's `<=>` operator.
 * Only the scrubbed scoring view is embedded — never names or contact details — and the embedder
 * redacts contact details again before any text leaves the process.
 */
import { createHash } from "node:crypto";
import type { Embedder } from "../ai/index.ts";
import type { Queryable } from "../store/index.ts";
import type { PostingInput } from "./requirements.ts";
import type { ScoringView } from "./scoring-view.ts";

/** Profiles embedded per model call. */
const BATCH = 32;

/** The text of a profile that is embedded: titles, skills, then the scrubbed resume text. */
export function profileEmbeddingText(view: ScoringView): string {
  const titles = view.positions.map((p) => [p.title, p.org].filter(Boolean).join(", ")).join("; ");
  return [titles, view.skills.join(", "), view.text].filter(Boolean).join("\n");
}

const stripHtml = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

/** The text of a posting that is embedded: title, team, description and lists. */
export function postingEmbeddingText(posting: PostingInput): string {
  const c = posting.content;
  const lists = (c?.lists ?? []).map((l) => `${l.text ?? ""}: ${stripHtml(l.content ?? "")}`);
  return [posting.text, posting.categories?.team, posting.categories?.department, c?.description ?? stripHtml(c?.descriptionHtml ?? ""), ...lists]
    .filter((s): s is string => Boolean(s && s.trim()))
    .join("\n");
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface EmbeddingRefresh {
  model: string;
  embedded: number;
  unchanged: number;
}

/**
 * Embeds every indexed profile of a connection whose embedding for the embedder's model is missing
 * or was made from other text; unchanged profiles are not sent again. `opportunityIds` narrows the
 * run (one re-indexed candidate). A failed model call throws; vectors already stored stay.
 */
export async function refreshProfileEmbeddings(
  db: Queryable,
  embedder: Embedder,
  connectionId: string,
  options: { opportunityIds?: readonly string[] } = {},
): Promise<EmbeddingRefresh> {
  const r = await db.query<{ opportunity_id: string; profile: ScoringView | string; text_sha256: string | null }>(
    `select p.opportunity_id, p.profile, e.text_sha256
     from screening_profiles p
     left join screening_profile_embeddings e on e.connection_id = p.connection_id and e.opportunity_id = p.opportunity_id and e.model = $2
     where p.connection_id = $1 and not p.excluded and p.profile is not null and ($3::text[] is null or p.opportunity_id = any($3::text[]))
     order by p.opportunity_id`,
    [connectionId, embedder.model, options.opportunityIds ? [...options.opportunityIds] : null],
  );
  const todo: { id: string; text: string; hash: string }[] = [];
  let unchanged = 0;
  for (const row of r.rows) {
    const view = typeof row.profile === "string" ? (JSON.parse(row.profile) as ScoringView) : row.profile;
    const text = profileEmbeddingText(view);
    const hash = sha256(`${embedder.model}\n${text}`);
    if (row.text_sha256 === hash) unchanged++;
    else todo.push({ id: row.opportunity_id, text, hash });
  }
  let embedded = 0;
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    const vectors = await embedder.embed(batch.map((b) => b.text));
    for (const [j, b] of batch.entries()) {
      const v = vectors[j];
      if (!v || v.length === 0 || !v.every(Number.isFinite))
        throw new Error(`embedding model "${embedder.model}" returned no usable vector for profile ${j + i + 1} of ${todo.length}`);
      await db.query(
        `insert into screening_profile_embeddings (connection_id, opportunity_id, model, dimensions, embedding, text_sha256, updated_at)
         values ($1, $2, $3, $4, $5::real[], $6, now())
         on conflict (connection_id, opportunity_id, model) do update set
           dimensions = excluded.dimensions, embedding = excluded.embedding, text_sha256 = excluded.text_sha256, updated_at = now()`,
        [connectionId, b.id, embedder.model, v.length, v, b.hash],
      );
      embedded++;
    }
  }
  return { model: embedder.model, embedded, unchanged };
}

const pgvectorInstalled = new WeakMap<Queryable, Promise<boolean>>();

/** True when the `vector` extension is installed in this database (asked once per connection object). */
export function hasPgvector(db: Queryable): Promise<boolean> {
  let known = pgvectorInstalled.get(db);
  if (!known) {
    known = db.query<{ on: boolean }>("select exists (select 1 from pg_extension where extname = 'vector') as on").then((r) => Boolean(r.rows[0]?.on));
    pgvectorInstalled.set(db, known);
  }
  return known;
}

/** Cosine similarity of a stored embedding and `$3`: pgvector's operator, or the same sum over the arrays. */
function similaritySql(pgvector: boolean): string {
  return pgvector
    ? "1 - (e.embedding::vector <=> $3::real[]::vector)"
    : `(select sum(a::float8 * b) / nullif(sqrt(sum(a::float8 * a)) * sqrt(sum(b::float8 * b)), 0)
            from unnest(e.embedding, $3::real[]) as t(a, b))`;
}

/**
 * Profiles most similar to `vector` (cosine, computed in SQL: pgvector when installed, else over
 * the stored arrays), best first, with the same exclusions as the text search: excluded rows,
 * candidates already on the posting, and (when asked) candidates who are not archived.
 */
export async function similarProfiles(
  db: Queryable,
  query: { connectionId: string; model: string; vector: readonly number[]; excludePostingId?: string; archivedOnly?: boolean; limit: number },
  options: { pgvector?: boolean } = {},
): Promise<{ opportunityId: string; similarity: number }[]> {
  const pgvector = options.pgvector ?? (await hasPgvector(db));
  const r = await db.query<{ opportunity_id: string; similarity: number | string | null }>(
    `select opportunity_id, similarity from (
       select e.opportunity_id, ${similaritySql(pgvector)} as similarity
       from screening_profile_embeddings e
       join screening_profiles p on p.connection_id = e.connection_id and p.opportunity_id = e.opportunity_id
       where e.connection_id = $1 and e.model = $2 and e.dimensions = $4 and not p.excluded and p.profile is not null
         and ($5::text is null or not ($5::text = any(p.posting_ids)))
         and ($6::boolean = false or p.archived)
     ) s
     where similarity is not null and similarity <> 'NaN'::float8
     order by similarity desc, opportunity_id
     limit $7`,
    [query.connectionId, query.model, [...query.vector], query.vector.length, query.excludePostingId ?? null, query.archivedOnly ?? false, query.limit],
  );
  return r.rows.map((row) => ({ opportunityId: row.opportunity_id, similarity: Number(row.similarity) }));
}
