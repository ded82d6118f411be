/**
 * A proposal over crowded calendars, for the load test and `npm run bench:scheduling`: each
 * interviewer's calendar in the sandbox's Google imitation holds `eventsPerPerson` events over the
 * read window (most of them free reminders, one in fifty a short busy block), read through
 * readAvailability (paged events.list), then proposed and solved. Returns the wall time and the
 * peak heap growth while it ran.
 */
import { calendarsConfigSchema, openCalendarProvider, readAvailability, type InterviewerAvailability } from "../../src/calendars/index.ts";
import { schedulingConfigSchema } from "../../src/config/index.ts";
import { startCalendarSandbox, type StoredEvent } from "../../src/sandbox/calendars/index.ts";
import { planPanel } from "../../src/scheduling/proposal/panel-plan.ts";
import { businessDays, proposeSchedule, readWindow, type Proposal } from "../../src/scheduling/proposal/propose.ts";

export interface ManyEventsRun {
  ms: number;
  /** Largest heap growth seen while reading and solving, in MiB. */
  peakHeapMb: number;
  availability: InterviewerAvailability[];
  proposal: Proposal;
}

export async function proposeOverManyEvents(o: {
  eventsPerPerson: number;
  interviewers: number;
  maxEventsPerPerson?: number | undefined;
  now?: number | undefined;
}): Promise<ManyEventsRun> {
  const people = Array.from({ length: o.interviewers }, (_, n) => ({ name: `Interviewer ${n + 1}`, email: `interviewer${n + 1}@crowded.example` }));
  const cal = await startCalendarSandbox({ demo: false, people });
  try {
    const now = o.now ?? Date.now();
    const users = people.map((p, n) => ({ id: `user-${n + 1}`, name: p.name, email: p.email }));
    const scheduling = schedulingConfigSchema.parse({
      panels: [{ stage: "onsite", sessions: [{ id: "tech", title: "Technical", minutes: 60, need: 2, pool: people.map((p) => p.email) }] }],
    });
    const plan = planPanel(scheduling, undefined, { id: "onsite" }, users);
    const days = businessDays(now, "UTC", plan.windowBusinessDays);
    const window = readWindow(days);
    const from = Date.parse(window.start);
    const span = Date.parse(window.end) - from;
    for (const [p, person] of people.entries()) {
      for (let n = 0; n < o.eventsPerPerson; n++) {
        const start = from + Math.floor((span * n) / o.eventsPerPerson) + p * 60_000;
        const busy = n % 50 === 0;
        const e: StoredEvent = {
          id: `crowd${p}x${n}`.replace(/[^a-v0-9]/g, "0"),
          organizer: person.email,
          title: busy ? "Review" : "Reminder",
          timezone: "UTC",
          allDay: false,
          start,
          end: start + 10 * 60_000,
          showAs: busy ? "busy" : "free",
          kind: "default",
          visibility: "default",
          attendees: [],
          status: "confirmed",
          sequence: 0,
          created: now,
          updated: now,
          changeSeq: 0,
        };
        cal.store.add(e);
      }
    }
    const calendars = calendarsConfigSchema.parse({
      connections: [cal.googleConnection({ domains: ["crowded.example"] })],
      ...(o.maxEventsPerPerson ? { maxEventsPerPerson: o.maxEventsPerPerson } : {}),
    });
    const providers = new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars)]));

    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const started = performance.now();
    const availability = await readAvailability(calendars, providers, { users, window, bufferMinutes: plan.bufferMinutes });
    const proposal = proposeSchedule({
      plan,
      users,
      availability,
      candidate: { name: "Crowded Candidate", timezone: "UTC" },
      opportunityId: "opp-crowded",
      panelKey: "crowded",
      now,
      interviewPattern: "\\binterview",
    });
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { ms, peakHeapMb: (peak - base) / 2 ** 20, availability, proposal };
  } finally {
    await cal.close();
  }
}
