/**
 * The e-mail that sends a candidate their self-scheduling link: the interview's name, length and
 * format, the link, and until when it works for booking (in the candidate's zone and language).
 * A person approves it like every e-mail Fulcrum sends; it says nothing about the interviewers.
 */
import { DateTime } from "luxon";
import { firstName, type LinkLanguage, type LinkRequest } from "./link-request.ts";

const LOCALES: Record<LinkLanguage, string> = { en: "en-GB", pt: "pt-PT", de: "de-DE", fr: "fr-FR", es: "es-ES" };

interface Words {
  subject: (title: string) => string;
  hello: (name: string) => string;
  pick: (title: string, minutes: number, sessions: number, format: "video" | "onsite") => string;
  until: (when: string) => string;
  after: string;
}

const WORDS: Record<LinkLanguage, Words> = {
  en: {
    subject: (t) => `Choose a time for your ${t}`,
    hello: (n) => `Hello ${n},`,
    pick: (t, m, s, f) =>
      `please choose a time for your ${t} (${s === 1 ? "one interview" : `${s} interviews`}, ${m} minutes in all, ${f === "onsite" ? "on site" : "by video"}) on this page:`,
    until: (w) => `The link works for booking until ${w}.`,
    after: "Once you have booked, the same link lets you move or cancel the interview.",
  },
  pt: {
    subject: (t) => `Escolha um horário para a sua ${t}`,
    hello: (n) => `Olá ${n},`,
    pick: (t, m, s, f) =>
      `escolha um horário para a sua ${t} (${s === 1 ? "uma entrevista" : `${s} entrevistas`}, ${m} minutos no total, ${f === "onsite" ? "presencial" : "por vídeo"}) nesta página:`,
    until: (w) => `A ligação permite marcar até ${w}.`,
    after: "Depois de marcar, a mesma ligação permite mudar ou cancelar a entrevista.",
  },
  de: {
    subject: (t) => `Wählen Sie einen Termin für Ihr ${t}`,
    hello: (n) => `Hallo ${n},`,
    pick: (t, m, s, f) =>
      `bitte wählen Sie einen Termin für Ihr ${t} (${s === 1 ? "ein Gespräch" : `${s} Gespräche`}, insgesamt ${m} Minuten, ${f === "onsite" ? "vor Ort" : "per Video"}) auf dieser Seite:`,
    until: (w) => `Der Link gilt für die Buchung bis ${w}.`,
    after: "Nach der Buchung können Sie den Termin mit demselben Link verschieben oder absagen.",
  },
  fr: {
    subject: (t) => `Choisissez un horaire pour votre ${t}`,
    hello: (n) => `Bonjour ${n},`,
    pick: (t, m, s, f) =>
      `choisissez un horaire pour votre ${t} (${s === 1 ? "un entretien" : `${s} entretiens`}, ${m} minutes au total, ${f === "onsite" ? "sur place" : "en vidéo"}) sur cette page :`,
    until: (w) => `Le lien permet de réserver jusqu'au ${w}.`,
    after: "Une fois la réservation faite, le même lien permet de déplacer ou d'annuler l'entretien.",
  },
  es: {
    subject: (t) => `Elija un horario para su ${t}`,
    hello: (n) => `Hola ${n}:`,
    pick: (t, m, s, f) =>
      `elija un horario para su ${t} (${s === 1 ? "una entrevista" : `${s} entrevistas`}, ${m} minutos en total, ${f === "onsite" ? "presencial" : "por vídeo"}) en esta página:`,
    until: (w) => `El enlace permite reservar hasta el ${w}.`,
    after: "Después de reservar, el mismo enlace permite cambiar o cancelar la entrevista.",
  },
};

/**
 * @example
 * const { subject, message } = bookingLinkEmail(request, "https://fulcrum.example/book/…", expiresAt);
 */
export function bookingLinkEmail(request: LinkRequest, url: string, expiresAt: Date): { subject: string; message: string } {
  const w = WORDS[request.language];
  const minutes = request.plan.sessions.reduce((m, s) => m + s.minutes, 0);
  const until = DateTime.fromJSDate(expiresAt, { zone: request.candidate.timezone })
    .setLocale(LOCALES[request.language])
    .toLocaleString({ weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  const message = [
    w.hello(firstName(request.candidate.name)),
    "",
    w.pick(request.title, minutes, request.plan.sessions.length, request.format),
    url,
    "",
    w.until(until),
    w.after,
  ].join("\n");
  return { subject: w.subject(request.title), message };
}
