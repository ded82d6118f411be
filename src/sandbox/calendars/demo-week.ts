/**
 * Three weeks of realistic calendars (this one and the next two, from "now") for the people of the
 * demo organisation: stand-ups and 1:1s that recur (one cancelled, one moved occurrence), focus
 * blocks, an all-day out-of-office day each, tentative holds and unanswered invitations, a decline,
 * free lunches and working-elsewhere days, and one-off meetings — people spread over Los Angeles,
 * Chicago, New York, London, Berlin, Warsaw, Paris, Istanbul, Nairobi and Tokyo, each with their
 * own working hours. The same seed and the same week give the same calendars.
 */
import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import { createPrng, hashSeed } from "../resumes/prng.ts";
import { localMidnight, type CalendarPerson, type CalendarStore, type EventKind, type ShowAs, type StoredAttendee, type StoredEvent } from "./store.ts";

/** Where each demo user works and when (by name); anyone else gets UTC, 09:00–17:00. */
const profiles: Record<string, { timezone: string; start: string; end: string; days?: number[] }> = {
  "Dana Whitfield": { timezone: "America/New_York", start: "09:00", end: "17:30" },
  "Marcus Lee": { timezone: "America/Los_Angeles", start: "08:00", end: "16:30" },
  "Priya Raman": { timezone: "Europe/London", start: "09:00", end: "17:30" },
  "Tom Becker": { timezone: "Europe/Berlin", start: "09:00", end: "17:00" },
  "Sofia Almeida": { timezone: "Europe/Berlin", start: "09:00", end: "18:00" },
  "Kenji Watanabe": { timezone: "Asia/Tokyo", start: "09:00", end: "18:00" },
  "Lena Vogel": { timezone: "Europe/Berlin", start: "08:30", end: "16:30" },
  "Owen Clarke": { timezone: "America/New_York", start: "09:00", end: "17:00" },
  "Grace Mwangi": { timezone: "Africa/Nairobi", start: "08:00", end: "17:00" },
  "Rafael Ortiz": { timezone: "America/Chicago", start: "08:00", end: "16:00" },
  "Hannah Kowalski": { timezone: "Europe/Warsaw", start: "09:00", end: "17:00", days: [1, 2, 3, 4] },
  "Ibrahim Diallo": { timezone: "Europe/Paris", start: "09:30", end: "18:00" },
  "Chloe Martin": { timezone: "Europe/London", start: "08:30", end: "17:00" },
  "Yusuf Demir": { timezone: "Europe/Istanbul", start: "09:00", end: "18:00" },
};

/** A demo user as the calendar sandbox knows them: their zone and working hours. */
export function demoCalendarPerson(user: { name: string; email: string }): CalendarPerson {
  const p = profiles[user.name] ?? { timezone: "UTC", start: "09:00", end: "17:00" };
  return {
    email: user.email.toLowerCase(),
    name: user.name,
    timezone: p.timezone,
    workingHours: { days: p.days ?? [1, 2, 3, 4, 5], start: p.start, end: p.end },
  };
}

/** Monday (ISO date) of the week that holds `now`, in UTC. */
export function demoWeekStart(now: number): string {
  return DateTime.fromMillis(now, { zone: "utc" }).startOf("week").toISODate()!;
}

interface Draft {
  label: string;
  organizer: CalendarPerson;
  title: string;
  /** Local date `YYYY-MM-DD` and time `HH:MM` in the organiser's zone. */
  date: string;
  time?: string;
  minutes?: number;
  /** All-day: number of days. */
  days?: number;
  showAs?: ShowAs;
  kind?: EventKind;
  attendees?: { person: CalendarPerson; response: StoredAttendee["response"] }[];
  weekly?: { byDay: number[]; until: string };
  description?: string;
}

/**
 * Fills `store` with the demo people and their three weeks. Returns the ids of a few events tests
 * and the README talk about.
 */
export function seedDemoWeek(
  store: CalendarStore,
  users: { name: string; email: string }[],
  seed: number,
  now: number,
): { weekStart: string; standupId?: string } {
  const people = users.map(demoCalendarPerson);
  for (const p of people) store.addPerson(p);
  const by = new Map(people.map((p) => [p.name, p]));
  const weekStart = demoWeekStart(now);
  const day = (offset: number) => DateTime.fromISO(weekStart).plus({ days: offset }).toISODate()!;
  const lastDay = day(20);
  const created = now - 30 * 86_400_000;
  const idOf = (label: string) => createHash("sha256").update(`calendar-demo:${seed}:${label}`).digest("hex").slice(0, 26);

  const add = (d: Draft): StoredEvent | undefined => {
    const zone = d.organizer.timezone;
    let start: number;
    let end: number;
    if (d.days) {
      start = localMidnight(d.date, zone);
      end = localMidnight(DateTime.fromISO(d.date).plus({ days: d.days }).toISODate()!, zone);
    } else {
      start = DateTime.fromISO(`${d.date}T${d.time}`, { zone }).toMillis();
      end = start + (d.minutes ?? 30) * 60_000;
    }
    const e: StoredEvent = {
      id: idOf(d.label),
      organizer: d.organizer.email,
      title: d.title,
      ...(d.description ? { description: d.description } : {}),
      timezone: zone,
      allDay: Boolean(d.days),
      start,
      end,
      ...(d.days ? { startDate: d.date, endDate: DateTime.fromISO(d.date).plus({ days: d.days }).toISODate()! } : {}),
      showAs: d.showAs ?? "busy",
      kind: d.kind ?? "default",
      visibility: "default",
      ...(d.weekly ? { recurrence: { freq: "WEEKLY" as const, byDay: d.weekly.byDay, until: d.weekly.until, exdates: [], overrides: [] } } : {}),
      attendees: (d.attendees ?? []).map((a) => ({ email: a.person.email, name: a.person.name, response: a.response })),
      status: "confirmed",
      sequence: 0,
      created,
      updated: created,
      changeSeq: 0,
    };
    return store.add(e);
  };
  const who = (name: string) => by.get(name);
  const team = (names: string[]) => names.map(who).filter((p): p is CalendarPerson => p !== undefined);
  const accepted = (names: string[]) => team(names).map((person) => ({ person, response: "accepted" as const }));
  const weekdays = [1, 2, 3, 4, 5];

  // Recurring team meetings, each in its organiser's zone, across the three weeks.
  let standupId: string | undefined;
  const series: [string, string, string, string, number, number[], string[]][] = [
    ["talent-standup", "Dana Whitfield", "Talent team stand-up", "11:00", 15, [1, 3, 5], ["Marcus Lee", "Priya Raman", "Tom Becker"]],
    ["eng-standup", "Sofia Almeida", "Engineering stand-up", "16:00", 15, weekdays, ["Rafael Ortiz", "Yusuf Demir"]],
    ["data-sync", "Kenji Watanabe", "Data team sync", "17:00", 30, [2, 4], ["Hannah Kowalski"]],
    ["design-crit", "Lena Vogel", "Design critique", "14:00", 60, [4], ["Ibrahim Diallo", "Owen Clarke"]],
    ["gtm-weekly", "Grace Mwangi", "Go-to-market weekly", "16:00", 45, [1], ["Owen Clarke", "Chloe Martin"]],
    ["one-on-one-dana-marcus", "Dana Whitfield", "Dana / Marcus 1:1", "12:30", 30, [2], ["Marcus Lee"]],
    ["one-on-one-sofia-rafael", "Sofia Almeida", "Sofia / Rafael 1:1", "17:00", 30, [3], ["Rafael Ortiz"]],
    ["one-on-one-sofia-yusuf", "Sofia Almeida", "Sofia / Yusuf 1:1", "11:00", 30, [2], ["Yusuf Demir"]],
    ["one-on-one-owen-grace", "Owen Clarke", "Owen / Grace 1:1", "10:00", 30, [4], ["Grace Mwangi"]],
  ];
  for (const [label, organizer, title, time, minutes, byDay, invited] of series) {
    const o = who(organizer);
    if (!o) continue;
    const e = add({ label, organizer: o, title, date: day(0), time, minutes, attendees: accepted(invited), weekly: { byDay, until: lastDay } });
    if (label === "eng-standup" && e) {
      standupId = e.id;
      // Cancelled for the sprint demo on the second Friday (EXDATE).
      const friday = DateTime.fromISO(`${day(11)}T${time}`, { zone: o.timezone }).toMillis();
      e.recurrence!.exdates.push(friday);
    }
    if (label === "talent-standup" && e) {
      // The second Wednesday's stand-up moved an hour later (RECURRENCE-ID override).
      const wednesday = DateTime.fromISO(`${day(9)}T${time}`, { zone: o.timezone });
      e.recurrence!.overrides.push({
        originalStart: wednesday.toMillis(),
        start: wednesday.plus({ hours: 1 }).toMillis(),
        end: wednesday.plus({ hours: 1, minutes }).toMillis(),
      });
    }
  }

  for (const [i, p] of people.entries()) {
    const rng = createPrng(hashSeed(`calendar-demo:${seed}:${p.email}`));
    const startHour = Number(p.workingHours.start.slice(0, 2));
    // Focus time twice a week, early afternoon (busy, Google's focusTime).
    const focusDays = i % 2 === 0 ? [2, 4] : [1, 3];
    add({
      label: `focus:${p.email}`,
      organizer: p,
      title: "Focus time",
      date: day(0),
      time: `${String(startHour + 4).padStart(2, "0")}:00`,
      minutes: 120,
      kind: "focusTime",
      weekly: { byDay: focusDays, until: lastDay },
    });
    // Lunch is marked free (transparent): it must not block anything.
    add({
      label: `lunch:${p.email}`,
      organizer: p,
      title: "Lunch",
      date: day(0),
      time: "12:00",
      minutes: 60,
      showAs: "free",
      weekly: { byDay: weekdays, until: lastDay },
    });
    // One all-day out-of-office day in the three weeks, on a working day.
    const oofOffset = [1, 3, 8, 10, 15, 2, 9, 16, 4, 11, 17, 7, 14, 18][i % 14]!;
    add({
      label: `oof:${p.email}`,
      organizer: p,
      title: rng.pick(["Out of office", "Vacation day", "Personal day", "Conference travel"]),
      date: day(oofOffset),
      days: 1,
      showAs: "oof",
      kind: "outOfOffice",
    });
    // Some work elsewhere one day (all-day, does not block), some have an all-day free reminder.
    if (i % 3 === 0)
      add({
        label: `wfh:${p.email}`,
        organizer: p,
        title: "Working from home",
        date: day([2, 9, 16][i % 3]!),
        days: 1,
        showAs: "workingElsewhere",
        kind: "workingLocation",
      });
    if (i % 3 === 1) add({ label: `reminder:${p.email}`, organizer: p, title: "Expense reports due (reminder)", date: day(4), days: 1, showAs: "free" });
    // Two to four one-off meetings a week on a half-hour grid in working hours, some with a colleague.
    for (let w = 0; w < 3; w++) {
      const count = rng.int(2, 4);
      for (let k = 0; k < count; k++) {
        const workday = p.workingHours.days[rng.int(0, p.workingHours.days.length - 1)]!;
        const slot = rng.int(1, 12);
        const minutes = rng.pick([30, 45, 60]);
        const other = people[rng.int(0, people.length - 1)]!;
        const start = DateTime.fromISO(`${day(w * 7 + workday - 1)}T${p.workingHours.start}`, { zone: p.timezone }).plus({ minutes: slot * 30 });
        add({
          label: `meeting:${p.email}:${w}:${k}`,
          organizer: p,
          title: rng.pick([
            "Roadmap review",
            "Customer call",
            "Hiring sync",
            "Budget check-in",
            "Architecture review",
            "Vendor call",
            "Interview debrief",
            "Quarterly business review",
          ]),
          date: start.toISODate()!,
          time: start.toFormat("HH:mm"),
          minutes,
          attendees:
            other.email !== p.email && rng.chance(0.5) ? [{ person: other, response: rng.pick(["accepted", "accepted", "needsAction"] as const) }] : [],
        });
      }
    }
  }

  // A company-wide tentative hold in the second week: answers differ per person.
  const dana = who("Dana Whitfield");
  if (dana) {
    const invited = people.filter((p) => p.email !== dana.email);
    const answers = ["tentative", "tentative", "accepted", "needsAction", "declined"] as const;
    add({
      label: "hold:planning",
      organizer: dana,
      title: "Hold: quarterly planning",
      date: day(10),
      time: "10:00",
      minutes: 120,
      showAs: "tentative",
      attendees: invited.map((person, i) => ({ person, response: answers[i % answers.length]! })),
      description: "Placeholder until the agenda is final.",
    });
  }
  const priya = who("Priya Raman");
  const sofia = who("Sofia Almeida");
  if (priya && sofia) {
    add({
      label: "hold:debrief",
      organizer: priya,
      title: "Hold: onsite debrief",
      date: day(3),
      time: "15:00",
      minutes: 60,
      showAs: "tentative",
      attendees: [{ person: sofia, response: "tentative" }],
    });
  }
  const marcus = who("Marcus Lee");
  const tom = who("Tom Becker");
  if (marcus && tom && priya) {
    add({
      label: "vendor-demo",
      organizer: marcus,
      title: "ATS vendor demo",
      date: day(2),
      time: "08:30",
      minutes: 60,
      attendees: [
        { person: tom, response: "declined" },
        { person: priya, response: "accepted" },
      ],
    });
  }
  return { weekStart, ...(standupId ? { standupId } : {}) };
}
