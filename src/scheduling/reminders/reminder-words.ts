/**
 * The candidate's reminder in the languages the booking page speaks (English by default): every
 * language must give every phrase (no English stands in for a missing one).
 */
import type { LinkLanguage } from "../self-schedule/link-request.ts";

export interface ReminderWords {
  hello: (name: string) => string;
  /** The reminder's first line: `left` is a `timeLeft` phrase, `when` the panel's span. */
  reminder: (left: string, when: string) => string;
  subject: (left: string, when: string) => string;
  onsite: string;
  join: (url: string) => string;
  confirm: (url: string) => string;
  reschedule: (url: string) => string;
  /** No link to give: where to find one. */
  hint: string;
  left: {
    now: string;
    minutes: (n: number) => string;
    /** `hours` ≥ 1, `minutes` 0 or a multiple of five. */
    hours: (hours: number, minutes: number) => string;
    today: string;
    tomorrow: string;
    /** On a weekday of the coming week; `weekday` is the day's name as `Intl` writes it standalone. */
    on: (weekday: string, isoWeekday: number) => string;
    days: (n: number) => string;
  };
}

const en: ReminderWords = {
  hello: (n) => `Hello ${n},`,
  reminder: (left, when) => `A reminder that your interview is ${left}: ${when}.`,
  subject: (left, when) => `Reminder: your interview ${left}, ${when}`,
  onsite: "The interview is on site.",
  join: (u) => `Join by video: ${u}`,
  confirm: (u) => `Will you be there? Let us know with one click: ${u}`,
  reschedule: (u) => `Need another time? Reschedule or cancel here: ${u}`,
  hint: "Need another time? Use the reschedule link in your booking confirmation, or reply to the recruiter.",
  left: {
    now: "starting now",
    minutes: (n) => `in ${n} minutes`,
    hours: (h, m) => {
      const hours = h === 1 ? "one hour" : `${h} hours`;
      return m === 0 ? `in ${hours}` : `in ${hours} and ${m} minutes`;
    },
    today: "today",
    tomorrow: "tomorrow",
    on: (d) => `on ${d}`,
    days: (n) => `in ${n} days`,
  },
};

const pt: ReminderWords = {
  hello: (n) => `Olá ${n},`,
  reminder: (left, when) => `Lembramos que a sua entrevista começa ${left}: ${when}.`,
  subject: (left, when) => `Lembrete: a sua entrevista começa ${left}, ${when}`,
  onsite: "A entrevista é presencial.",
  join: (u) => `Entrar na videochamada: ${u}`,
  confirm: (u) => `Vai estar presente? Diga-nos com um clique: ${u}`,
  reschedule: (u) => `Precisa de outra hora? Mude ou cancele aqui: ${u}`,
  hint: "Precisa de outra hora? Use a ligação da confirmação da marcação ou responda à equipa de recrutamento.",
  left: {
    now: "agora",
    minutes: (n) => `daqui a ${n} minutos`,
    hours: (h, m) => {
      const hours = h === 1 ? "uma hora" : `${h} horas`;
      return m === 0 ? `daqui a ${hours}` : `daqui a ${hours} e ${m} minutos`;
    },
    today: "hoje",
    tomorrow: "amanhã",
    // Sábado and domingo are masculine: "no sábado", "na terça-feira".
    on: (d, n) => `${n >= 6 ? "no" : "na"} ${d}`,
    days: (n) => `daqui a ${n} dias`,
  },
};

const de: ReminderWords = {
  hello: (n) => `Hallo ${n},`,
  reminder: (left, when) => `zur Erinnerung: Ihr Interview beginnt ${left}: ${when}.`,
  subject: (left, when) => `Erinnerung: Ihr Interview ${left}, ${when}`,
  onsite: "Das Interview findet vor Ort statt.",
  join: (u) => `Per Video teilnehmen: ${u}`,
  confirm: (u) => `Sind Sie dabei? Bestätigen Sie mit einem Klick: ${u}`,
  reschedule: (u) => `Brauchen Sie einen anderen Termin? Hier verschieben oder absagen: ${u}`,
  hint: "Brauchen Sie einen anderen Termin? Nutzen Sie den Link in Ihrer Buchungsbestätigung oder antworten Sie dem Recruiting-Team.",
  left: {
    now: "jetzt",
    minutes: (n) => `in ${n} Minuten`,
    hours: (h, m) => {
      const hours = h === 1 ? "einer Stunde" : `${h} Stunden`;
      return m === 0 ? `in ${hours}` : `in ${hours} und ${m} Minuten`;
    },
    today: "heute",
    tomorrow: "morgen",
    on: (d) => `am ${d}`,
    days: (n) => `in ${n} Tagen`,
  },
};

const fr: ReminderWords = {
  hello: (n) => `Bonjour ${n},`,
  reminder: (left, when) => `Pour rappel, votre entretien commence ${left} : ${when}.`,
  subject: (left, when) => `Rappel : votre entretien ${left}, ${when}`,
  onsite: "L'entretien a lieu sur place.",
  join: (u) => `Rejoindre la visioconférence : ${u}`,
  confirm: (u) => `Serez-vous présent ? Dites-le-nous en un clic : ${u}`,
  reschedule: (u) => `Besoin d'un autre horaire ? Déplacez ou annulez ici : ${u}`,
  hint: "Besoin d'un autre horaire ? Utilisez le lien de votre confirmation de réservation, ou répondez à l'équipe de recrutement.",
  left: {
    now: "maintenant",
    minutes: (n) => `dans ${n} minutes`,
    hours: (h, m) => {
      const hours = h === 1 ? "une heure" : `${h} heures`;
      return m === 0 ? `dans ${hours}` : `dans ${hours} et ${m} minutes`;
    },
    today: "aujourd'hui",
    tomorrow: "demain",
    on: (d) => d,
    days: (n) => `dans ${n} jours`,
  },
};

const es: ReminderWords = {
  hello: (n) => `Hola ${n}:`,
  reminder: (left, when) => `Le recordamos que su entrevista empieza ${left}: ${when}.`,
  subject: (left, when) => `Recordatorio: su entrevista empieza ${left}, ${when}`,
  onsite: "La entrevista es presencial.",
  join: (u) => `Unirse a la videollamada: ${u}`,
  confirm: (u) => `¿Asistirá? Confírmelo con un clic: ${u}`,
  reschedule: (u) => `¿Necesita otra hora? Cámbiela o cancélela aquí: ${u}`,
  hint: "¿Necesita otra hora? Use el enlace de la confirmación de su reserva o responda al equipo de selección.",
  left: {
    now: "ahora",
    minutes: (n) => `dentro de ${n} minutos`,
    hours: (h, m) => {
      const hours = h === 1 ? "una hora" : `${h} horas`;
      return m === 0 ? `dentro de ${hours}` : `dentro de ${hours} y ${m} minutos`;
    },
    today: "hoy",
    tomorrow: "mañana",
    on: (d) => `el ${d}`,
    days: (n) => `dentro de ${n} días`,
  },
};

const ALL: Record<LinkLanguage, ReminderWords> = { en, pt, de, fr, es };

export function reminderWords(language: LinkLanguage): ReminderWords {
  return ALL[language];
}

/**
 * The interviewers' reminder, in the organisation's language (the reminders workflow's
 * `settings.interviewerLanguage`, English by default). Times and zones are named as the booking
 * page names them, except in English, which keeps the zone's city ("Berlin time").
 */
export interface InterviewerReminderWords {
  /** `left` is a `timeLeft` phrase, `when` the panel's span in each recipient zone. */
  notAccepted: (left: string, when: string) => string;
  ask: string;
  subject: (when: string) => string;
  /** The zone is the organisation's default: nobody listed has one in the calendar settings. */
  organisationZone: (zone: string, who: string) => string;
  /** Neither the people listed nor the organisation have a zone. */
  utc: (who: string) => string;
  video: (url: string) => string;
}

const INTERVIEWER: Record<LinkLanguage, InterviewerReminderWords> = {
  en: {
    notAccepted: (left, when) => `You have not accepted the calendar invite for an interview panel ${left} (${when}).`,
    ask: "Please accept it, or decline it so the coordinator can find someone else in time.",
    subject: (when) => `Please answer the interview invite: ${when}`,
    organisationZone: (zone, who) => `(${zone} is the organisation's zone: no time zone is set for ${who} in the calendar settings.)`,
    utc: (who) => `(Times are in UTC: no time zone is set for ${who} in the calendar settings, nor for the organisation.)`,
    video: (u) => `Video: ${u}`,
  },
  pt: {
    notAccepted: (left, when) => `Ainda não aceitou o convite de calendário para um painel de entrevistas que começa ${left} (${when}).`,
    ask: "Aceite-o, ou recuse-o para que a coordenação possa encontrar outra pessoa a tempo.",
    subject: (when) => `Responda ao convite da entrevista: ${when}`,
    organisationZone: (zone, who) => `(Usa-se o fuso horário da organização, ${zone}: não há fuso horário definido para ${who} nas definições do calendário.)`,
    utc: (who) => `(Horas em UTC: não há fuso horário definido para ${who} nas definições do calendário, nem para a organização.)`,
    video: (u) => `Vídeo: ${u}`,
  },
  de: {
    notAccepted: (left, when) => `Sie haben die Kalendereinladung zu einem Interview-Panel ${left} (${when}) noch nicht angenommen.`,
    ask: "Bitte nehmen Sie sie an oder lehnen Sie sie ab, damit die Koordination rechtzeitig jemand anderen finden kann.",
    subject: (when) => `Bitte beantworten Sie die Interview-Einladung: ${when}`,
    organisationZone: (zone, who) => `(Es gilt die Zeitzone der Organisation, ${zone}: Für ${who} ist in den Kalendereinstellungen keine Zeitzone festgelegt.)`,
    utc: (who) => `(Zeiten in UTC: Für ${who} ist weder in den Kalendereinstellungen noch für die Organisation eine Zeitzone festgelegt.)`,
    video: (u) => `Video: ${u}`,
  },
  fr: {
    notAccepted: (left, when) => `Vous n'avez pas encore accepté l'invitation d'agenda pour un panel d'entretiens qui commence ${left} (${when}).`,
    ask: "Merci de l'accepter, ou de la refuser pour que la coordination puisse trouver quelqu'un d'autre à temps.",
    subject: (when) => `Merci de répondre à l'invitation à l'entretien : ${when}`,
    organisationZone: (zone, who) =>
      `(Le fuseau horaire de l'organisation s'applique, ${zone} : aucun fuseau horaire n'est défini pour ${who} dans les paramètres de l'agenda.)`,
    utc: (who) => `(Horaires en UTC : aucun fuseau horaire n'est défini pour ${who} dans les paramètres de l'agenda, ni pour l'organisation.)`,
    video: (u) => `Vidéo : ${u}`,
  },
  es: {
    notAccepted: (left, when) => `Aún no ha aceptado la invitación de calendario para un panel de entrevistas que empieza ${left} (${when}).`,
    ask: "Acéptela, o recházela para que la coordinación pueda encontrar a otra persona a tiempo.",
    subject: (when) => `Responda a la invitación a la entrevista: ${when}`,
    organisationZone: (zone, who) =>
      `(Se usa la zona horaria de la organización, ${zone}: no hay zona horaria definida para ${who} en la configuración del calendario.)`,
    utc: (who) => `(Horas en UTC: no hay zona horaria definida para ${who} en la configuración del calendario, ni para la organización.)`,
    video: (u) => `Vídeo: ${u}`,
  },
};

export function interviewerReminderWords(language: LinkLanguage): InterviewerReminderWords {
  return INTERVIEWER[language];
}
