/**
 * `fulcrum rubric show|set|approve --posting <id>`: the rubric a posting is scored by. `set` saves a
 * recruiter's override from a JSON or YAML file as a new version that scores nobody until someone
 * approves it with `approve`; `show` lists every version and marks the one in force. The same is
 * available over the REST API under /api/postings/<id>/rubric.
 */
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { createAuditTrail } from "../../governance/index.ts";
import { approveRubricOverride, rubricVersions, RubricVersionError, saveRubricOverride } from "../../screening/index.ts";
import { fourEyesRequired } from "../../server/index.ts";
import { withDatabase } from "../engine-session.ts";

const LEVER_ID = /^[\w-]{1,100}$/;

function postingId(cmd: Command, raw: string): string {
  if (!LEVER_ID.test(raw)) cmd.error(`--posting "${raw.slice(0, 60)}" is not a Lever posting id`, { exitCode: 2 });
  return raw;
}

function readRubricFile(cmd: Command, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return cmd.error(`rubric file "${path}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { exitCode: 2 });
  }
  if (text.length > 256 * 1024) return cmd.error(`rubric file "${path}" is larger than 256 KiB; a rubric is a list of criteria`, { exitCode: 2 });
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    return cmd.error(`rubric file "${path}" is not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${(error as Error).message}`, { exitCode: 2 });
  }
}

async function run(cmd: Command, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof RubricVersionError) cmd.error(`fulcrum rubric: ${error.message}`, { exitCode: error.code === "invalid" ? 2 : 1 });
    throw error;
  }
}

export function register(program: Command): void {
  const rubric = program
    .command("rubric")
    .description("The rubric a posting is scored by: show its versions, save a recruiter's override, approve it.")
    .addHelpText(
      "after",
      `
Without an approved override, screening scores by the requirements read from the posting (saved as
version 1 at the first screening). An override is a file of criteria:

  title: Backend Engineer
  criteria:
    - { id: go, kind: skill, label: "Go in production", must: true, weight: 3, skills: [Go] }
    - { id: years, kind: years, label: "5+ years of backend work", must: false, weight: 2, minYears: 5, keywords: [backend] }
    - { id: visa, kind: knockout, label: "Work permit", must: true, weight: 0, question: "Do you need a visa?", acceptedAnswers: ["No"] }

Examples:
  fulcrum rubric set --posting 5f2c9a1e-... rubric.yaml --by "Priya (recruiter)"
  fulcrum rubric approve 2 --posting 5f2c9a1e-... --by "Dana (TA lead)"
  fulcrum rubric show --posting 5f2c9a1e-...
`,
    );

  rubric
    .command("show")
    .description("Every version of a posting's rubric, newest first; the one in force is marked active.")
    .requiredOption("--posting <id>", "the Lever posting id")
    .option("--connection <id>", "the Lever connection", "default")
    .action(async (o: { posting: string; connection: string }, cmd: Command) => {
      const id = postingId(cmd, o.posting);
      await run(cmd, () =>
        withDatabase(async (db) => {
          process.stdout.write(`${JSON.stringify({ postingId: id, versions: await rubricVersions(db, o.connection, id) }, null, 2)}\n`);
        }),
      );
    });

  rubric
    .command("set <file>")
    .description("Save a recruiter's override (JSON or YAML) as a new version; it scores nobody until approved.")
    .requiredOption("--posting <id>", "the Lever posting id")
    .requiredOption("--by <name>", "who wrote it (recorded with the version and in the audit trail)")
    .option("--connection <id>", "the Lever connection", "default")
    .action(async (file: string, o: { posting: string; by: string; connection: string }, cmd: Command) => {
      const id = postingId(cmd, o.posting);
      const body = readRubricFile(cmd, file);
      await run(cmd, () =>
        withDatabase(async (db) => {
          const version = await saveRubricOverride(db, o.connection, id, body, `cli:${o.by}`, createAuditTrail(db));
          process.stdout.write(
            `saved version ${version} of the rubric for posting ${id}; it scores nobody until approved:\n  fulcrum rubric approve ${version} --posting ${id} --by <name>\n`,
          );
        }),
      );
    });

  rubric
    .command("approve <version>")
    .description("Approve an override version (see rubric show): from now on the posting is scored by it.")
    .requiredOption("--posting <id>", "the Lever posting id")
    .requiredOption("--by <name>", "who approves (recorded with the version and in the audit trail); not the person who wrote it (four eyes)")
    .option("--connection <id>", "the Lever connection", "default")
    .action(async (version: string, o: { posting: string; by: string; connection: string }, cmd: Command) => {
      const id = postingId(cmd, o.posting);
      if (!/^\d{1,9}$/.test(version)) cmd.error(`"${version}" is not a version number`, { exitCode: 2 });
      await run(cmd, () =>
        withDatabase(async (db) => {
          const allowSelfApproval = !(await fourEyesRequired(db));
          const v = await approveRubricOverride(db, o.connection, id, Number(version), `cli:${o.by}`, createAuditTrail(db), { allowSelfApproval });
          process.stdout.write(`approved version ${v.version} of the rubric for posting ${id}; screening now scores by it\n`);
        }),
      );
    });
}
