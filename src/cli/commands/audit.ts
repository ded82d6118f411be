/**
 * `fulcrum audit verify|anchor|search|export`: check the hash-chained audit trail (against the signed
 * anchors of its head kept outside the database), anchor it by hand, and hand it to an auditor.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import { auditAnchorSettings, type Config } from "../../config/index.ts";
import {
  AnchorFolderError,
  anchorKeyFrom,
  createAuditTrail,
  describeAge,
  verifyWithAnchors,
  writeAuditAnchor,
  type AnchoredVerifyResult,
  type AuditVerifyResult,
} from "../../governance/index.ts";
import { loadSecretKey } from "../../engine/index.ts";
import { withDatabase } from "../engine-session.ts";

/** The public keys anchors may be signed with: this deployment's (current and previous secret key). */
function deploymentAnchorKeys(config: Config): string[] {
  const { key, previous } = loadSecretKey(config);
  return [key, ...previous].map((k) => anchorKeyFrom(k).publicKey);
}

function printChain(result: AuditVerifyResult): void {
  if (result.problems.length === 0) {
    process.stdout.write(`audit trail intact: ${result.checked} records verified\n`);
    return;
  }
  process.stdout.write(`audit trail BROKEN: ${result.problems.length} problem(s) in ${result.checked} records\n`);
  for (const p of result.problems) process.stdout.write(`  record ${p.seq}: ${p.kind} — ${p.detail}\n`);
}

function printAnchors(result: AnchoredVerifyResult): void {
  for (const p of result.anchorProblems)
    process.stdout.write(`  anchor file ${p.file}: ${p.kind} — ${p.detail}${p.kind === "unreadable" ? " (skipped)" : ""}\n`);
  const last = result.lastAnchor;
  if (!last) {
    process.stdout.write("NOT ANCHORED: no anchor file in the folder has a valid signature\n");
    return;
  }
  const count = `${result.anchorsChecked} anchor${result.anchorsChecked === 1 ? "" : "s"} checked`;
  process.stdout.write(
    `${count}; the last, of ${last.anchoredAt} (${describeAge(last.ageMs)} ago), holds record ${last.seq}; ${last.recordsSince} record${last.recordsSince === 1 ? "" : "s"} appended since (covered by the chain only until the next anchor)\n`,
  );
}

function parseDate(cmd: Command, value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    cmd.error(`fulcrum audit export: ${option} "${value}" is not a date; use ISO 8601 such as 2026-01-31 or 2026-01-31T09:00:00Z`, { exitCode: 2 });
  }
  return date;
}

export function register(program: Command): void {
  const audit = program.command("audit").description("Check and export the tamper-evident audit trail (events, runs, AI calls, decisions, Lever writes).");

  // `--anchor <seq:hash>` (heads noted by hand) and `--no-anchor` (skip the folder) share one name in
  // Commander, where the later one would overwrite the other; each is collected on its own here.
  const notedHeads: string[] = [];
  let skipAnchorFolder = false;
  const verify = audit.command("verify");
  verify.on("option:anchor", (value: string) => notedHeads.push(value));
  verify.on("option:no-anchor", () => {
    skipAnchorFolder = true;
  });
  verify
    .description("Re-compute the whole hash chain and check it against the signed anchors outside the database; print every problem and exit 1 if any.")
    .option("--no-anchor", "check the chain alone, without the anchor folder (a consistent rewrite of the chain then goes unseen)")
    .option("--anchor-dir <dir>", "the folder of anchor files (default: FULCRUM_AUDIT_ANCHOR_DIR, or audit-anchors in the data folder)")
    .option(
      "--public-key <key...>",
      "accept only anchors signed with this Ed25519 public key (as printed by `fulcrum audit anchor`), not this deployment's own",
    )
    .option("--anchor <seq:hash...>", "a chain head noted earlier (record:hash, e.g. from an export's last line); it must still match")
    .addHelpText(
      "after",
      `
Every anchor file in the folder is checked: its signature must hold, and the record it names must
still carry the anchored hash, so a rewrite of any record up to the last anchor shows however
consistently it was re-hashed. Records after the last anchor are checked by the chain alone.
A missing or empty anchor folder, or an anchor with a bad signature, makes the check fail.

Examples:
  fulcrum audit verify
  fulcrum audit verify --anchor-dir /mnt/worm/fulcrum-anchors --public-key 3q2-7w…
  fulcrum audit verify --no-anchor --anchor 1200:3f5c…
`,
    )
    .action(async (opts: { anchorDir?: string; publicKey?: string[] }, cmd: Command) => {
      const useAnchorDir = !skipAnchorFolder;
      const noted = notedHeads.map((a) => {
        const m = /^(\d+):([0-9a-f]{64})$/.exec(a.trim());
        if (!m) cmd.error(`fulcrum audit verify: --anchor "${a}" must be <record number>:<64 hex characters>`, { exitCode: 2 });
        return { seq: Number(m![1]), hash: m![2]!, source: `--anchor ${m![1]}` };
      });
      for (const k of opts.publicKey ?? []) {
        if (!/^[A-Za-z0-9_-]{43}$/.test(k))
          cmd.error(`fulcrum audit verify: --public-key "${k}" must be 43 base64url characters, as \`fulcrum audit anchor\` prints it`, { exitCode: 2 });
      }
      const outcome = await withDatabase(async (db, config) => {
        const trail = createAuditTrail(db);
        if (!useAnchorDir) return { plain: await trail.verify({ anchors: noted }) };
        const dir = opts.anchorDir ?? auditAnchorSettings(config).dir;
        const trustedKeys = opts.publicKey ?? deploymentAnchorKeys(config);
        try {
          const anchored = await verifyWithAnchors(trail, { dir, trustedKeys });
          if (noted.length === 0) return { anchored };
          // Heads noted by hand are checked on top of the folder's anchors.
          const extra = await trail.verify({ anchors: noted });
          const known = new Set(anchored.problems.map((p) => `${p.seq}:${p.detail}`));
          const problems = [...anchored.problems, ...extra.problems.filter((p) => !known.has(`${p.seq}:${p.detail}`))];
          return { anchored: { ...anchored, problems, ok: anchored.ok && extra.ok } };
        } catch (error) {
          if (!(error instanceof AnchorFolderError)) throw error;
          return { plain: await trail.verify({ anchors: noted }), notAnchored: error.message };
        }
      });
      const result = outcome.anchored ?? outcome.plain!;
      printChain(result);
      if (outcome.anchored) printAnchors(outcome.anchored);
      if (outcome.notAnchored) process.stdout.write(`NOT ANCHORED: ${outcome.notAnchored}\n`);
      if (result.head)
        process.stdout.write(
          `chain head: record ${result.head.seq}, hash ${result.head.hash}\n(to check against it later without the anchor folder: fulcrum audit verify --anchor ${result.head.seq}:${result.head.hash})\n`,
        );
      if (!result.ok || outcome.notAnchored) process.exitCode = 1;
    });

  audit
    .command("anchor")
    .description("Write a signed anchor of the chain head into the anchor folder now (`fulcrum serve` does so on a schedule).")
    .option("--anchor-dir <dir>", "the folder of anchor files (default: FULCRUM_AUDIT_ANCHOR_DIR, or audit-anchors in the data folder)")
    .addHelpText(
      "after",
      "\nPrints the file written and the public key that checks it (give the key to your auditor: `fulcrum audit verify --public-key <key>`).\n",
    )
    .action(async (options: { anchorDir?: string }) => {
      const written = await withDatabase(async (db, config) => {
        const key = anchorKeyFrom(loadSecretKey(config).key);
        return writeAuditAnchor(db, { dir: options.anchorDir ?? auditAnchorSettings(config).dir, key });
      });
      process.stdout.write(`anchored record ${written.anchor.seq} in ${written.file}\nanchor key: ${written.anchor.publicKey}\n`);
    });

  audit
    .command("search")
    .description("Print the audit records about a candidate, opportunity, user or trace as JSON Lines, oldest first.")
    .option("--candidate <id>", "Lever candidate (contact) id")
    .option("--opportunity <id>", "Lever opportunity id")
    .option("--user <id>", "a user who acted or was acted upon")
    .option("--trace <id>", "trace id (follows one webhook to its Lever writes)")
    .option("--kind <kind>", "only records of this kind, e.g. ai.call or lever.write")
    .option("--limit <n>", "at most this many records", "1000")
    .action(async (options: { candidate?: string; opportunity?: string; user?: string; trace?: string; kind?: string; limit: string }, cmd: Command) => {
      if (!options.candidate && !options.opportunity && !options.user && !options.trace) {
        cmd.error("fulcrum audit search: give at least one of --candidate, --opportunity, --user or --trace", { exitCode: 2 });
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        cmd.error(`fulcrum audit search: --limit "${options.limit}" must be a whole number of at least 1`, { exitCode: 2 });
      const records = await withDatabase((db) =>
        createAuditTrail(db).search({
          candidateId: options.candidate,
          opportunityId: options.opportunity,
          userId: options.user,
          traceId: options.trace,
          kind: options.kind,
          limit,
        }),
      );
      for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stderr.write(`${records.length} record(s)\n`);
    });

  audit
    .command("export")
    .description(
      'Write audit records as JSON Lines (one record per line, oldest first), including hashes so the export can be checked, and last a line with the chain head ({"chainHead":…}).',
    )
    .option("--from <date>", "first instant included (ISO 8601, e.g. 2026-01-01)")
    .option("--to <date>", "first instant excluded (ISO 8601)")
    .option("--out <file>", "write to this file instead of standard output")
    .addHelpText("after", "\nExample:\n  fulcrum audit export --from 2026-01-01 --to 2026-02-01 --out january.jsonl\n")
    .action(async (options: { from?: string; to?: string; out?: string }, cmd: Command) => {
      const from = parseDate(cmd, options.from, "--from");
      const to = parseDate(cmd, options.to, "--to");
      if (from && to && from >= to) cmd.error("fulcrum audit export: --from must be before --to", { exitCode: 2 });
      const { count, head } = await withDatabase(async (db) => {
        const out = options.out ? createWriteStream(options.out, { flags: "w" }) : process.stdout;
        let n = 0;
        let last = "";
        for await (const line of createAuditTrail(db).export({ from, to })) {
          n++;
          last = line;
          if (!out.write(line)) await once(out, "drain");
        }
        if (out !== process.stdout) {
          out.end();
          await finished(out);
        }
        // The last line is the chain head the export was taken at, not a record.
        return { count: n - 1, head: (JSON.parse(last) as { chainHead: { seq: number; hash: string } | null }).chainHead };
      });
      process.stderr.write(`exported ${count} audit records${options.out ? ` to ${options.out}` : ""}\n`);
      if (head)
        process.stderr.write(
          `chain head: record ${head.seq}, hash ${head.hash} (the export's last line; check later with: fulcrum audit verify --anchor ${head.seq}:${head.hash})\n`,
        );
    });
}
