import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBookingParams } from "../booking/params.ts";
import type { LinkLanguage } from "../self-schedule/link-request.ts";
import { candidateReminder, dueReminder, interviewerReminder, parseReminderOffsets, peopleTime, ReminderOffsetError, timeLeftWords } from "./reminders.ts";

const booking = parseBookingParams({
  opportunityId: "opp-1",
  panelKey: "opp-1:onsite:2027-01-12",
  candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "Europe/Lisbon" },
  sessions: [
    {
      id: "hm",
      title: "Hiring manager",
      start: "2027-01-12T14:30:00Z",
      end: "2027-01-12T15:15:00Z",
      interviewers: [{ leverUserId: "u1", email: "hm@example.com" }],
    },
    {
      id: "tech",
      title: "Technical",
      start: "2027-01-12T15:30:00Z",
      end: "2027-01-12T16:30:00Z",
      interviewers: [{ leverUserId: "u2", email: "tech@example.com" }],
    },
  ],
});

describe("interview reminders", () => {
  it("reads offsets largest first and names a bad one", () => {
    assert.deepEqual(parseReminderOffsets("1h, 24h"), [1440, 60]);
    assert.deepEqual(parseReminderOffsets(["2d", "90m"]), [2880, 90]);
    assert.throws(
      () => parseReminderOffsets("24h, soon"),
      (e: Error) => e instanceof ReminderOffsetError && /"soon"/.test(e.message),
    );
    assert.throws(() => parseReminderOffsets(""), /at least one/);
    assert.throws(() => parseReminderOffsets("1m"), /between 5 minutes and 14 days/);
  });

  it("is due at the nearest offset whose moment has come, and never once the panel started", () => {
    const start = "2027-01-12T14:30:00Z";
    const at = (iso: string) => Date.parse(iso);
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-11T10:00:00Z")), undefined);
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-11T14:28:00Z")), 1440, "a timer a little early still counts");
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-12T13:30:00Z")), 60);
    assert.equal(dueReminder(start, [1440, 60], at("2027-01-12T14:30:00Z")), undefined);
  });

  it("writes the candidate's time for people in their zone, with the video link", () => {
    assert.equal(peopleTime("2027-01-12T14:30:00Z", "2027-01-12T15:15:00Z", "Europe/Lisbon"), "Tuesday 12 January, 14:30–15:15 (Portugal time)");
    const r = candidateReminder(booking, {
      now: Date.parse("2027-01-11T14:30:00Z"),
      joinUrl: "https://meet.example/abc",
      rescheduleUrl: "https://fulcrum.example/book/tok",
    });
    assert.match(r.subject, /tomorrow, Tuesday 12 January, 14:30–16:30 \(Portugal time\)/);
    assert.match(r.text, /^Hello Casey,/);
    assert.ok(!r.text.includes("Candidate"), "only the first name");
    assert.match(r.text, /Join by video: https:\/\/meet\.example\/abc/);
    assert.match(r.text, /Reschedule or cancel here: https:\/\/fulcrum\.example\/book\/tok/);
    const hint = candidateReminder(booking, {
      now: Date.parse("2027-01-12T13:30:00Z"),
      rescheduleHint: "To reschedule, use the link in your booking confirmation.",
    });
    assert.ok(!/Reschedule or cancel here/.test(hint.text));
    assert.match(hint.text, /in one hour/);
    assert.match(hint.text, /use the link in your booking confirmation/);
  });

  it("words the reminder from the time actually left, not from the offset that armed it", () => {
    // The 24 h timer fired late, at 00:30 on the interview's own day in Lisbon: "today", not "tomorrow".
    const late = candidateReminder(booking, { now: Date.parse("2027-01-12T00:30:00Z") });
    assert.match(late.text, /your interview is today: Tuesday 12 January, 14:30/);
    assert.ok(!/tomorrow/.test(late.subject + late.text), late.subject);
    // The panel was moved to start 40 minutes after its 1 h timer fires.
    const moved = candidateReminder(booking, { now: Date.parse("2027-01-12T13:50:00Z") });
    assert.match(moved.subject, /^Reminder: your interview in 40 minutes, /);
    // A timer a minute late still reads as the hour it was meant for.
    assert.equal(timeLeftWords("2027-01-12T14:30:00Z", Date.parse("2027-01-12T13:31:00Z"), "Europe/Lisbon"), "in one hour");
    assert.equal(timeLeftWords("2027-01-12T14:30:00Z", Date.parse("2027-01-12T11:10:00Z"), "Europe/Lisbon"), "in 3 hours and 20 minutes");
    assert.equal(timeLeftWords("2027-01-12T14:30:00Z", Date.parse("2027-01-09T12:00:00Z"), "Europe/Lisbon"), "on Tuesday");
    // The day is the candidate's: at 14:00 UTC a 23:30 UTC start is today in Lisbon, tomorrow in Tokyo.
    assert.equal(timeLeftWords("2027-01-12T23:30:00Z", Date.parse("2027-01-12T14:00:00Z"), "Europe/Lisbon"), "today");
    assert.equal(timeLeftWords("2027-01-12T23:30:00Z", Date.parse("2027-01-12T14:00:00Z"), "Asia/Tokyo"), "tomorrow");
  });

  it("writes the interviewers' times in their own zones, and says when a zone is the organisation's", () => {
    const now = Date.parse("2027-01-11T14:30:00Z");
    const one = interviewerReminder(booking, {
      now,
      joinUrl: "https://meet.example/abc",
      recipients: [{ email: "tech@example.com", timezone: "America/New_York", zoneSource: "calendar" }],
    });
    assert.match(one.text, /not accepted the calendar invite/);
    assert.match(one.subject, /Tue 12 Jan, 09:30–11:30 \(New York time\)/);
    assert.match(one.text, /^10:30–11:30 Technical$/m);
    assert.ok(!/UTC/.test(one.subject + one.text), "no UTC times");
    assert.ok(!/organisation's zone/.test(one.text));
    const two = interviewerReminder(booking, {
      now,
      recipients: [
        { email: "tech@example.com", timezone: "America/New_York", zoneSource: "calendar" },
        { email: "hm@example.com", timezone: "Europe/Berlin", zoneSource: "organisation" },
      ],
    });
    assert.match(two.text, /^New York time \(tech@example\.com\):\n09:30–10:15 Hiring manager$/m);
    assert.match(two.text, /^Berlin time \(hm@example\.com\):\n15:30–16:15 Hiring manager$/m);
    assert.match(two.text, /Berlin time is the organisation's zone: no time zone is set for hm@example\.com/);
    const utc = interviewerReminder(booking, { now, recipients: [{ email: "hm@example.com", timezone: "UTC", zoneSource: "utc" }] });
    assert.match(utc.text, /Times are in UTC: no time zone is set for hm@example\.com in the calendar settings, nor for the organisation/);
  });

  it("writes the interviewers' reminder in the organisation's language: subject, time left, zones and the fallback note", () => {
    const now = Date.parse("2027-01-11T14:30:00Z");
    const de = interviewerReminder(booking, {
      now,
      language: "de",
      joinUrl: "https://meet.example/abc",
      recipients: [
        { email: "tech@example.com", timezone: "America/New_York", zoneSource: "calendar" },
        { email: "hm@example.com", timezone: "Europe/Berlin", zoneSource: "organisation" },
      ],
    });
    assert.match(de.subject, /^Bitte beantworten Sie die Interview-Einladung: Di\., 12\. Jan\., 09:30–11:30 \(Ortszeit New York\)$/);
    assert.match(de.text, /^Sie haben die Kalendereinladung zu einem Interview-Panel morgen \(.+\) noch nicht angenommen\.$/m);
    assert.match(de.text, /^Bitte nehmen Sie sie an oder lehnen Sie sie ab, damit die Koordination rechtzeitig jemand anderen finden kann\.$/m);
    assert.match(de.text, /^15:30–16:15 Hiring manager$/m);
    assert.match(
      de.text,
      /\(Es gilt die Zeitzone der Organisation, Mitteleuropäische Zeit: Für hm@example\.com ist in den Kalendereinstellungen keine Zeitzone festgelegt\.\)/,
    );
    assert.match(de.text, /^Video: https:\/\/meet\.example\/abc$/m);
    const english = /\b(You|invite|Please|accepted|decline it|coordinator|organisation's|time zone|time|Tue|tomorrow)\b/;
    assert.ok(!english.test(de.subject + de.text.replace(/Hiring manager|Technical/g, "")), `English left in ${de.subject}\n${de.text}`);
    const utc = interviewerReminder(booking, { now, language: "de", recipients: [{ email: "hm@example.com", timezone: "UTC", zoneSource: "utc" }] });
    assert.match(
      utc.text,
      /\(Zeiten in UTC: Für hm@example\.com ist weder in den Kalendereinstellungen noch für die Organisation eine Zeitzone festgelegt\.\)/,
    );
    for (const language of ["pt", "fr", "es"] as const) {
      const r = interviewerReminder(booking, { now, language, recipients: [{ email: "hm@example.com", timezone: "UTC", zoneSource: "utc" }] });
      assert.ok(!english.test(r.subject + r.text.replace(/Hiring manager|Technical/g, "")), `${language}: English left in ${r.subject}\n${r.text}`);
    }
  });

  it("points at the booking confirmation in the candidate's language when there is no link to give", () => {
    const en = candidateReminder(booking, { now: Date.parse("2027-01-12T13:30:00Z"), confirmationHint: true });
    assert.match(en.text, /Use the reschedule link in your booking confirmation, or reply to the recruiter\.$/);
    const de = candidateReminder(booking, { now: Date.parse("2027-01-12T13:30:00Z"), confirmationHint: true, language: "de" });
    assert.match(de.text, /Nutzen Sie den Link in Ihrer Buchungsbestätigung/);
    assert.ok(!/reschedule/i.test(de.text));
  });
});

/** What the candidate's reminder says in each language: a day ahead, an hour ahead, and on a coming weekday. */
const IN: Record<
  LinkLanguage,
  { hello: string; tomorrow: string; subject: RegExp; hour: string; weekday: string; link: RegExp; join: RegExp; english: RegExp }
> = {
  en: {
    hello: "Hello Casey,",
    tomorrow: "A reminder that your interview is tomorrow: Tuesday 12 January, 14:30–16:30 (Portugal time).",
    subject: /^Reminder: your interview tomorrow, Tuesday 12 January, 14:30–16:30 \(Portugal time\)$/,
    hour: "in 3 hours and 20 minutes",
    weekday: "on Tuesday",
    link: /^Need another time\? Reschedule or cancel here: https:\/\/fulcrum\.example\/book\/tok$/m,
    join: /^Join by video: https:\/\/meet\.example\/abc$/m,
    english: /(?!)/,
  },
  pt: {
    hello: "Olá Casey,",
    tomorrow: "Lembramos que a sua entrevista começa amanhã: terça-feira, 12 de janeiro, 14:30–16:30 (hora de Portugal).",
    subject: /^Lembrete: a sua entrevista começa amanhã, terça-feira, 12 de janeiro, 14:30–16:30 \(hora de Portugal\)$/,
    hour: "daqui a 3 horas e 20 minutos",
    weekday: "na terça-feira",
    link: /^Precisa de outra hora\? Mude ou cancele aqui: https:\/\/fulcrum\.example\/book\/tok$/m,
    join: /^Entrar na videochamada: https:\/\/meet\.example\/abc$/m,
    english: /\b(Hello|Reminder|interview|tomorrow|Join|Reschedule|Tuesday|January|Lisbon)\b/,
  },
  de: {
    hello: "Hallo Casey,",
    tomorrow: "zur Erinnerung: Ihr Interview beginnt morgen: Dienstag, 12. Januar, 14:30–16:30 (Westeuropäische Zeit).",
    subject: /^Erinnerung: Ihr Interview morgen, Dienstag, 12\. Januar, 14:30–16:30 \(Westeuropäische Zeit\)$/,
    hour: "in 3 Stunden und 20 Minuten",
    weekday: "am Dienstag",
    link: /^Brauchen Sie einen anderen Termin\? Hier verschieben oder absagen: https:\/\/fulcrum\.example\/book\/tok$/m,
    join: /^Per Video teilnehmen: https:\/\/meet\.example\/abc$/m,
    english: /\b(Hello|Reminder|interview|tomorrow|Join|Reschedule|Tuesday|January|Lisbon)\b/,
  },
  fr: {
    hello: "Bonjour Casey,",
    tomorrow: "Pour rappel, votre entretien commence demain : mardi 12 janvier, 14:30–16:30 (heure : Portugal).",
    subject: /^Rappel : votre entretien demain, mardi 12 janvier, 14:30–16:30 \(heure : Portugal\)$/,
    hour: "dans 3 heures et 20 minutes",
    weekday: "mardi",
    link: /^Besoin d'un autre horaire \? Déplacez ou annulez ici : https:\/\/fulcrum\.example\/book\/tok$/m,
    join: /^Rejoindre la visioconférence : https:\/\/meet\.example\/abc$/m,
    english: /\b(Hello|Reminder|interview|tomorrow|Join|Reschedule|Tuesday|January|Lisbon)\b/,
  },
  es: {
    hello: "Hola Casey:",
    tomorrow: "Le recordamos que su entrevista empieza mañana: martes, 12 de enero, 14:30–16:30 (hora de Portugal).",
    subject: /^Recordatorio: su entrevista empieza mañana, martes, 12 de enero, 14:30–16:30 \(hora de Portugal\)$/,
    hour: "dentro de 3 horas y 20 minutos",
    weekday: "el martes",
    link: /^¿Necesita otra hora\? Cámbiela o cancélela aquí: https:\/\/fulcrum\.example\/book\/tok$/m,
    join: /^Unirse a la videollamada: https:\/\/meet\.example\/abc$/m,
    english: /\b(Hello|Reminder|interview|tomorrow|Join|Reschedule|Tuesday|January|Lisbon)\b/,
  },
};

describe("the candidate's reminder in their language", () => {
  for (const [language, want] of Object.entries(IN) as [LinkLanguage, (typeof IN)[LinkLanguage]][]) {
    it(`is written in ${language}: subject, greeting, time left, the sessions, the video and reschedule links`, () => {
      const r = candidateReminder(booking, {
        now: Date.parse("2027-01-11T14:30:00Z"),
        language,
        joinUrl: "https://meet.example/abc",
        rescheduleUrl: "https://fulcrum.example/book/tok",
      });
      assert.match(r.subject, want.subject);
      const lines = r.text.split("\n");
      assert.equal(lines[0], want.hello);
      assert.equal(lines[2], want.tomorrow);
      assert.match(r.text, /^14:30–15:15 Hiring manager$/m);
      assert.match(r.text, want.join);
      assert.match(r.text, want.link);
      assert.ok(!want.english.test(r.subject + r.text.replace(/Hiring manager|Technical/g, "")), `${language}: English left in ${r.subject}\n${r.text}`);
      assert.equal(timeLeftWords("2027-01-12T14:30:00Z", Date.parse("2027-01-12T11:10:00Z"), "Europe/Lisbon", language), want.hour);
      assert.equal(timeLeftWords("2027-01-12T14:30:00Z", Date.parse("2027-01-09T12:00:00Z"), "Europe/Lisbon", language), want.weekday);
    });
  }

  it("says an on-site interview is on site, in the language", () => {
    const onsite = parseBookingParams({ ...booking, format: "onsite" });
    assert.match(candidateReminder(onsite, { now: Date.parse("2027-01-11T14:30:00Z"), language: "es" }).text, /^La entrevista es presencial\.$/m);
    assert.match(candidateReminder(onsite, { now: Date.parse("2027-01-11T14:30:00Z"), language: "fr" }).text, /^L'entretien a lieu sur place\.$/m);
  });

  it("words a weekend day with its article in Portuguese", () => {
    // Saturday 16 January from Wednesday 13 January.
    assert.equal(timeLeftWords("2027-01-16T10:00:00Z", Date.parse("2027-01-13T10:00:00Z"), "Europe/Lisbon", "pt"), "no sábado");
  });
});
