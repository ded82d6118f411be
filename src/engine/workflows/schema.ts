/**
 * The workflow file format. One zod schema is the single source of truth: the loader validates
 * with it, the TypeScript types are inferred from it, and `workflows/workflow.schema.json` (for
 * editor completion) is generated from it.
 */
import { z } from "zod";
import { leverEventNames, toolIdPattern } from "../../config/index.ts";
import { isDuration } from "./duration.ts";

const duration = z
  .string()
  .refine(isDuration, { message: "write a duration such as 30m, 1h, 2d or 1h30m" })
  .describe("A duration: a number with s, m, h, d or w, e.g. 30m, 1h, 2d, 1h30m.");

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe("One value or a list; a list matches when any value matches.");

export const modeSchema = z
  .enum(["shadow", "assist", "auto"])
  .describe("shadow: record only; assist: a person approves; auto: applied when guards pass, else assist.");

const stepId = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _, starting with a letter");

/** A test on a value found at `path` in the run's scope (event, context, steps, settings). */
export interface Expression {
  path?: string | undefined;
  equals?: unknown;
  notEquals?: unknown;
  in?: unknown[] | undefined;
  contains?: unknown;
  gt?: number | undefined;
  gte?: number | undefined;
  lt?: number | undefined;
  lte?: number | undefined;
  exists?: boolean | undefined;
  empty?: boolean | undefined;
  all?: Expression[] | undefined;
  any?: Expression[] | undefined;
  not?: Expression | undefined;
}

export const expressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z
    .strictObject({
      path: z.string().min(1).optional().describe("Dotted path, e.g. steps.screen.output.score"),
      equals: z.unknown().optional(),
      notEquals: z.unknown().optional(),
      in: z.array(z.unknown()).optional(),
      contains: z.unknown().optional(),
      gt: z.number().optional(),
      gte: z.number().optional(),
      lt: z.number().optional(),
      lte: z.number().optional(),
      exists: z.boolean().optional(),
      empty: z.boolean().optional(),
      all: z.array(expressionSchema).optional(),
      any: z.array(expressionSchema).optional(),
      not: expressionSchema.optional(),
    })
    .describe("A condition: {path, <operator>: value}, or all/any/not of conditions."),
);

/** Conditions on a Lever event and its candidate, as rich as Lever's own Automation. */
export const conditionsSchema = z
  .strictObject({
    stage: z
      .strictObject({ to: oneOrMany.optional(), from: oneOrMany.optional() })
      .optional()
      .describe("Stage changed to and/or from these stages (ids or names)."),
    archived: z
      .union([
        z.boolean(),
        z.strictObject({
          reason: oneOrMany.optional().describe("Archive reason ids or names."),
          reasonType: z.enum(["hired", "non-hired"]).optional(),
        }),
      ])
      .optional()
      .describe("true: the candidate was archived; false: unarchived; or the reason / reason type."),
    hired: z.boolean().optional().describe("The candidate was (true) or was not (false) hired."),
    tags: z
      .strictObject({ present: oneOrMany.optional(), absent: oneOrMany.optional() })
      .optional()
      .describe("Tags the opportunity must carry (all of present) and must not carry (none of absent)."),
    posting: oneOrMany.optional().describe("Posting ids or titles."),
    department: oneOrMany.optional(),
    team: oneOrMany.optional(),
    location: oneOrMany.optional(),
    commitment: oneOrMany.optional(),
    origin: z
      .union([
        z.enum(["agency", "applied", "internal", "referred", "sourced", "university"]),
        z.array(z.enum(["agency", "applied", "internal", "referred", "sourced", "university"])).min(1),
      ])
      .optional(),
    source: oneOrMany.optional().describe("Opportunity sources (any of)."),
    answers: z
      .array(
        z.strictObject({
          question: z.string().min(1).describe("The application question's text (case-insensitive)."),
          equals: z.string().optional(),
          in: z.array(z.string()).optional(),
          contains: z.string().optional(),
        }),
      )
      .optional()
      .describe("Answers to application questions (all must hold)."),
    confidentiality: z.enum(["confidential", "non-confidential"]).optional(),
    match: expressionSchema.optional().describe("Any further condition on the event and context."),
  })
  .describe("All conditions must hold.");

/** True for a time zone this Node knows (IANA names such as Europe/Berlin, or UTC). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const leverEvent = z.enum(leverEventNames);

export const triggerSchema = z.union([
  z
    .strictObject({
      lever: z.union([leverEvent, z.array(leverEvent).min(1)]).describe("Lever webhook event(s)."),
      when: conditionsSchema.optional(),
    })
    .describe("A Lever webhook event."),
  z
    .strictObject({
      source: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/)
        .describe("Name of another hiring tool (signed inbound events)."),
      event: oneOrMany.optional().describe("Event names sent by the tool (any when absent)."),
      when: conditionsSchema.optional(),
    })
    .describe("A signed event from another hiring tool."),
  z
    .strictObject({
      schedule: z
        .string()
        .regex(/^\s*\S+(\s+\S+){4,5}\s*$/, "a cron expression with 5 (or 6) fields, e.g. '0 9 * * 1-5'")
        .describe("Cron expression (UTC unless timezone is set)."),
      timezone: z
        .string()
        .refine(isTimeZone, { message: "an IANA time zone such as Europe/Berlin or America/New_York" })
        .optional()
        .describe("IANA time zone of the cron expression (default UTC)."),
    })
    .describe("A schedule."),
  z
    .strictObject({
      timer: z.strictObject({
        on: z.union([leverEvent, z.array(leverEvent).min(1)]).describe("Events that (re)arm the timer."),
        at: z.enum(["interview.start", "interview.end", "event.triggeredAt"]).describe("The moment in the data the timer is relative to."),
        after: duration.optional(),
        before: duration.optional(),
      }),
      when: conditionsSchema.optional(),
    })
    .describe("A timer relative to data, e.g. one hour after an interview ends."),
  z.strictObject({ manual: z.literal(true) }).describe("Started by a person (console, CLI or API)."),
]);

const template = z.string().describe("Text; {{ path }} inserts a value from the run (event, context, steps, settings).");
const templated = z.union([template, z.array(template)]);

const stepBase = {
  id: stepId.describe("Unique within the workflow; steps refer to each other's outputs as steps.<id>.output."),
  name: z.string().optional(),
  if: expressionSchema.optional().describe("Run this step only when the condition holds; otherwise it is skipped."),
};

const actionBase = {
  ...stepBase,
  mode: modeSchema
    .optional()
    .describe("Mode for this action: it may lower the action below the workflow's mode, never raise it (the lowest mode that applies wins)."),
  because: stepId.optional().describe("The AI or task step whose reasons, evidence, confidence and model justify this action."),
  opportunity: template.optional().describe("The opportunity to act on when it is not the event's, e.g. {{ steps.find.output.result.opportunityId }}."),
};

export const fetchKinds = ["opportunity", "posting", "resume", "files", "notes", "feedback", "interviews", "panels", "offers"] as const;

export const stepSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...stepBase,
    type: z.literal("fetch"),
    include: z.array(z.enum(fetchKinds)).min(1).describe("What to load from Lever (each at most once per run)."),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal("ai"),
    prompt: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*(@[\w.-]+)?$/, "a prompt name, optionally @version")
      .describe("name@version of a prompt in prompts/."),
    input: z
      .union([z.record(z.string(), z.unknown()), template])
      .default({})
      .describe("The step type's input (templated); its untrusted parts (resume, notes…) are fenced as data by the AI layer."),
    provider: z.string().optional(),
    model: z.string().optional(),
    onUnavailable: z
      .enum(["wait", "local"])
      .default("local")
      .describe("When the provider fails or its circuit is open: wait and retry later, or use the local engine (labelled engine: local)."),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal("task"),
    task: z
      .string()
      .regex(/^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9-]*)+$/, "a task name such as screening.screen")
      .describe("A domain step, e.g. screening.screen."),
    with: z.record(z.string(), z.unknown()).default({}),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal("branch"),
    cases: z.array(z.strictObject({ if: expressionSchema, goto: z.union([stepId, z.literal("end")]) })).min(1),
    else: z
      .union([stepId, z.literal("end")])
      .optional()
      .describe("Where to go when no case holds (default: the next step)."),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal("approval"),
    message: template.describe("What the approver is asked."),
    because: stepId.optional(),
  }),
  z.strictObject({
    ...stepBase,
    type: z.literal("wait"),
    for: duration.optional(),
    until: template.optional().describe("A timestamp (ms or ISO) from the run, e.g. {{ context.interviews.0.end }}."),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("lever.note"),
    body: template,
    secret: z.boolean().default(false),
    score: z.union([z.number().int().min(1).max(4), template]).optional(),
  }),
  z.strictObject({ ...actionBase, type: z.literal("lever.tags"), add: templated.optional(), remove: templated.optional() }),
  z.strictObject({ ...actionBase, type: z.literal("lever.stage"), stage: template.describe("Stage id or name.") }),
  z.strictObject({ ...actionBase, type: z.literal("lever.archive"), reason: template.describe("Archive reason id or name.") }),
  z.strictObject({ ...actionBase, type: z.literal("lever.links"), add: templated.optional(), remove: templated.optional() }),
  z.strictObject({ ...actionBase, type: z.literal("lever.panel"), panel: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    ...actionBase,
    type: z.literal("lever.createOpportunity"),
    candidate: z.union([z.record(z.string(), z.unknown()), template]).describe("name, emails, headline, tags, sources, postings, stage, origin (templated)."),
    findExisting: z.boolean().default(true).describe("Reuse an opportunity whose contact has the same e-mail."),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("lever.form"),
    template: template.describe(
      "The profile form template, by name or id (e.g. {{ settings.formTemplate }}); when it is empty the step is skipped with that reason.",
    ),
    fields: z
      .record(z.string().min(1), z.union([template, z.number(), z.boolean(), z.null()]))
      .refine((f) => Object.keys(f).length > 0, { message: "name at least one field of the template" })
      .describe(
        "Values by the template field's text (case-insensitive), templated, e.g. { Score: '{{ steps.screen.output.score }}' }; the template's other fields are sent empty.",
      ),
    secret: z.boolean().optional().describe("Only people allowed to see sensitive information see the form (default: the template's own setting)."),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("notify"),
    channel: z.enum(["slack", "teams", "email"]),
    to: template.describe("Incoming-webhook URL (or env:NAME) for Slack/Teams; an address for e-mail."),
    subject: template.optional(),
    message: template,
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("assessment.send"),
    with: z
      .strictObject({
        tool: z
          .string({
            error: (i) =>
              i.input === undefined
                ? "missing: the id of a tool in the config file's tools: block, e.g. tool: codility"
                : "the id of a tool in the config file's tools: block",
          })
          .regex(toolIdPattern, "a tool id: lower-case letters, digits, - and _ (as in the config file's tools: block)")
          .describe("The tool, by its id in the config file's tools: block (it needs an inviteUrl)."),
        assessment: z
          .string({
            error: (i) =>
              i.input === undefined ? "missing: the tool's id of the assessment to send, e.g. assessment: python-senior" : "the tool's assessment id, as text",
          })
          .min(1, "missing: the tool's id of the assessment to send")
          .describe("The tool's id of the assessment (templated)."),
      })
      .describe("Which tool sends which assessment. The candidate's e-mail is read from Lever and goes only to this tool."),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("scheduling.book"),
    with: z
      .union([z.record(z.string(), z.unknown()), template])
      .describe(
        "The booking (templated): opportunityId, panelKey, candidate {name, email?, timezone}, sessions [{id, title, start, end, interviewers [{leverUserId, email, name?}], feedbackTemplateId?}], format?, eventsPer?, packetUrl?, notes?; usually {{ steps.propose.output.booking }}. Checked when the step renders.",
      ),
    eventsPer: z
      .enum(["session", "panel"])
      .optional()
      .describe("One calendar event per session (default) or one for the whole panel; overrides the booking's own eventsPer."),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("scheduling.rebook"),
    with: z
      .union([z.record(z.string(), z.unknown()), template])
      .describe(
        "The re-booking (templated): { booking, revision } — the panel's next revision under the same panelKey; usually {{ steps.replan.output.rebook }}. Checked when the step renders.",
      ),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("tool.status"),
    callbacks: template.describe("The status callbacks a tool.status task found, e.g. {{ steps.sent.output.callbacks }}."),
  }),
  z.strictObject({
    ...actionBase,
    type: z.literal("http"),
    url: template.describe("https URL (or env:NAME)."),
    method: z.enum(["POST", "PUT", "PATCH"]).default("POST"),
    secret: z
      .string()
      .regex(/^env:[A-Z][A-Z0-9_]*$/, "env:NAME of the variable holding the signing secret")
      .optional(),
    body: z.unknown().describe("JSON body (templated)."),
  }),
]);

export const workflowSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: stepId.describe("Stable id of the workflow."),
    name: z.string().min(1),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    mode: modeSchema.default("shadow").describe("The most any action may do (a person may change it in the console); new workflows start in shadow."),
    modes: z
      .record(z.string(), modeSchema)
      .default({})
      .describe("Mode per action type, e.g. { lever.stage: assist }: lowers those actions below the workflow's mode, never raises them."),
    sandbox: z
      .strictObject({ mode: modeSchema.optional(), modes: z.record(z.string(), modeSchema).default({}) })
      .optional()
      .describe("Modes that also apply on the built-in Lever sandbox: they lower actions there, never raise them above the workflow's mode."),
    guards: z
      .strictObject({
        minConfidence: z.number().min(0).max(1).default(0.8),
        excludePostings: z.array(z.string()).default([]),
      })
      .default({ minConfidence: 0.8, excludePostings: [] })
      .describe("auto actions apply only when these hold; otherwise they wait for a person."),
    approval: z
      .strictObject({
        expiresAfter: duration.default("72h"),
        escalateAfter: duration.optional(),
        escalateTo: z.strictObject({ channel: z.enum(["slack", "teams", "email"]), to: template }).optional(),
        onExpiry: z.enum(["skip", "fail"]).default("skip"),
      })
      .default({ expiresAfter: "72h", onExpiry: "skip" }),
    deadline: duration.default("1h").describe("A run still unfinished after this is shown as overdue."),
    settings: z.record(z.string(), z.unknown()).default({}).describe("Values for templates: {{ settings.<name> }}."),
    triggers: z.array(triggerSchema).min(1),
    steps: z.array(stepSchema).min(1),
  })
  .superRefine((wf, ctx) => {
    const ids = new Map<string, number>();
    wf.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `step id "${s.id}" is used twice` });
      ids.set(s.id, i);
    });
    wf.steps.forEach((s, i) => {
      const refs: [string, PropertyKey[]][] = [];
      if ("because" in s && s.because) refs.push([s.because, ["steps", i, "because"]]);
      if (s.type === "branch") {
        s.cases.forEach((c, j) => refs.push([c.goto, ["steps", i, "cases", j, "goto"]]));
        if (s.else) refs.push([s.else, ["steps", i, "else"]]);
      }
      for (const [ref, path] of refs) {
        if (ref === "end") continue;
        const at = ids.get(ref);
        if (at === undefined) ctx.addIssue({ code: "custom", path, message: `no step "${ref}" in this workflow` });
        else if (s.type === "branch" && at <= i) ctx.addIssue({ code: "custom", path, message: `a branch may only jump forward; "${ref}" comes before it` });
        else if (s.type !== "branch" && at >= i) ctx.addIssue({ code: "custom", path, message: `"${ref}" must come before this step` });
      }
    });
  });

export type Workflow = z.infer<typeof workflowSchema>;
export type WorkflowInput = z.input<typeof workflowSchema>;
export type Step = z.infer<typeof stepSchema>;
export type StepType = Step["type"];
export type Trigger = z.infer<typeof triggerSchema>;
export type Conditions = z.infer<typeof conditionsSchema>;
export type FetchKind = (typeof fetchKinds)[number];

/** Step types that change something outside Fulcrum; each one is a proposal governed by modes. */
export const actionTypes = [
  "lever.note",
  "lever.tags",
  "lever.stage",
  "lever.archive",
  "lever.links",
  "lever.panel",
  "lever.createOpportunity",
  "lever.form",
  "notify",
  "http",
  "assessment.send",
  "tool.status",
  "scheduling.book",
  "scheduling.rebook",
] as const;
export type ActionType = (typeof actionTypes)[number];
export type ActionStep = Extract<Step, { type: ActionType }>;

export function isActionStep(step: Step): step is ActionStep {
  return (actionTypes as readonly string[]).includes(step.type);
}

/** The JSON Schema published for editors (`workflows/workflow.schema.json`). */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workflowSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  return { ...schema, title: "Fulcrum workflow" };
}
