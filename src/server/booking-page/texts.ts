/** The booking page's words in the languages it speaks (English by default). */
import type { LinkLanguage } from "../../scheduling/index.ts";

export interface PageTexts {
  title: string;
  hello: (name: string) => string;
  intro: (what: string, minutes: number, count: number) => string;
  video: string;
  onsite: string;
  zone: string;
  show: string;
  pick: string;
  book: string;
  none: string;
  taken: string;
  booked: string;
  moved: string;
  yourTime: string;
  addToCalendar: string;
  join: string;
  moveIt: string;
  cancel: string;
  cancelled: string;
  cancelRequested: string;
  moveRequested: string;
  invalid: string;
  tooMany: string;
  failed: string;
  /** The downloaded calendar file's title for a panel of several interviews. */
  calendarTitle: (sessions: number) => string;
}

const en: PageTexts = {
  title: "Pick your interview time",
  hello: (n) => `Hello ${n},`,
  intro: (what, m, c) => `${what}: ${c === 1 ? "one interview" : `${c} interviews with the team`}, ${m} minutes in all.`,
  video: "Video call",
  onsite: "On site",
  zone: "Time zone",
  show: "Show times",
  pick: "Choose a time that suits you. Every time below works for the whole panel.",
  book: "Book",
  none: "No times are free in the next days. The team has been told and will contact you.",
  taken: "Sorry, that time was just taken. Here are the next free times.",
  booked: "Your interview is booked. A calendar invitation is on its way by e-mail.",
  moved: "Your interview has been moved. An updated invitation is on its way.",
  yourTime: "Your interview",
  addToCalendar: "Download calendar file (.ics)",
  join: "Video link",
  moveIt: "Need another time? Pick one below.",
  cancel: "Cancel the interview",
  cancelled: "Your interview is cancelled. The team has been told.",
  cancelRequested: "The interview is very soon, so your cancellation has been passed to the team; they will contact you.",
  moveRequested: "The interview is very soon, so your request to move it has been passed to the team; they will contact you.",
  invalid: "This link does not work any more. Please reply to the e-mail you received and ask for a new one.",
  tooMany: "Too many requests. Please wait a minute and try again.",
  failed: "Something went wrong on our side. Please try again in a minute.",
  calendarTitle: (n) => `Interview (${n} sessions)`,
};

const pt: PageTexts = {
  title: "Escolha a hora da sua entrevista",
  hello: (n) => `Olá ${n},`,
  intro: (what, m, c) => `${what}: ${c === 1 ? "uma entrevista" : `${c} entrevistas com a equipa`}, ${m} minutos no total.`,
  video: "Videochamada",
  onsite: "Presencial",
  zone: "Fuso horário",
  show: "Mostrar horas",
  pick: "Escolha uma hora que lhe convenha. Todas as horas abaixo servem para o painel inteiro.",
  book: "Marcar",
  none: "Não há horas livres nos próximos dias. A equipa foi avisada e vai contactá-lo.",
  taken: "Essa hora acabou de ser ocupada. Aqui estão as próximas horas livres.",
  booked: "A sua entrevista está marcada. Vai receber um convite por e-mail.",
  moved: "A sua entrevista foi mudada. Vai receber um convite atualizado.",
  yourTime: "A sua entrevista",
  addToCalendar: "Descarregar ficheiro de calendário (.ics)",
  join: "Ligação de vídeo",
  moveIt: "Precisa de outra hora? Escolha abaixo.",
  cancel: "Cancelar a entrevista",
  cancelled: "A sua entrevista foi cancelada. A equipa foi avisada.",
  cancelRequested: "A entrevista é muito em breve, por isso o seu cancelamento foi passado à equipa, que vai contactá-lo.",
  moveRequested: "A entrevista é muito em breve, por isso o seu pedido para a mudar foi passado à equipa, que vai contactá-lo.",
  invalid: "Esta ligação já não funciona. Responda ao e-mail que recebeu e peça uma nova.",
  tooMany: "Demasiados pedidos. Aguarde um minuto e tente de novo.",
  failed: "Algo correu mal do nosso lado. Tente de novo daqui a um minuto.",
  calendarTitle: (n) => `Entrevista (${n} sessões)`,
};

const de: PageTexts = {
  title: "Wählen Sie Ihren Interviewtermin",
  hello: (n) => `Hallo ${n},`,
  intro: (what, m, c) => `${what}: ${c === 1 ? "ein Gespräch" : `${c} Gespräche mit dem Team`}, insgesamt ${m} Minuten.`,
  video: "Videoanruf",
  onsite: "Vor Ort",
  zone: "Zeitzone",
  show: "Zeiten zeigen",
  pick: "Wählen Sie eine passende Zeit. Jede Zeit unten passt für das ganze Panel.",
  book: "Buchen",
  none: "In den nächsten Tagen ist keine Zeit frei. Das Team weiß Bescheid und meldet sich.",
  taken: "Diese Zeit wurde gerade vergeben. Hier sind die nächsten freien Zeiten.",
  booked: "Ihr Interview ist gebucht. Eine Kalendereinladung kommt per E-Mail.",
  moved: "Ihr Interview wurde verschoben. Eine aktualisierte Einladung kommt per E-Mail.",
  yourTime: "Ihr Interview",
  addToCalendar: "Kalenderdatei herunterladen (.ics)",
  join: "Videolink",
  moveIt: "Brauchen Sie eine andere Zeit? Wählen Sie unten.",
  cancel: "Interview absagen",
  cancelled: "Ihr Interview ist abgesagt. Das Team weiß Bescheid.",
  cancelRequested: "Das Interview ist sehr bald, daher wurde Ihre Absage an das Team weitergegeben; es meldet sich bei Ihnen.",
  moveRequested: "Das Interview ist sehr bald, daher wurde Ihr Wunsch nach einem neuen Termin an das Team weitergegeben; es meldet sich bei Ihnen.",
  invalid: "Dieser Link funktioniert nicht mehr. Bitte antworten Sie auf die E-Mail und bitten Sie um einen neuen.",
  tooMany: "Zu viele Anfragen. Bitte warten Sie eine Minute und versuchen Sie es erneut.",
  failed: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es in einer Minute erneut.",
  calendarTitle: (n) => `Interview (${n} Gespräche)`,
};

const fr: PageTexts = {
  title: "Choisissez l'heure de votre entretien",
  hello: (n) => `Bonjour ${n},`,
  intro: (what, m, c) => `${what} : ${c === 1 ? "un entretien" : `${c} entretiens avec l'équipe`}, ${m} minutes en tout.`,
  video: "Appel vidéo",
  onsite: "Sur place",
  zone: "Fuseau horaire",
  show: "Afficher les horaires",
  pick: "Choisissez un horaire qui vous convient. Chaque horaire ci-dessous convient à tout le panel.",
  book: "Réserver",
  none: "Aucun horaire n'est libre dans les prochains jours. L'équipe est prévenue et vous contactera.",
  taken: "Désolé, cet horaire vient d'être pris. Voici les prochains horaires libres.",
  booked: "Votre entretien est réservé. Une invitation arrive par e-mail.",
  moved: "Votre entretien a été déplacé. Une invitation mise à jour arrive.",
  yourTime: "Votre entretien",
  addToCalendar: "Télécharger le fichier calendrier (.ics)",
  join: "Lien vidéo",
  moveIt: "Besoin d'un autre horaire ? Choisissez ci-dessous.",
  cancel: "Annuler l'entretien",
  cancelled: "Votre entretien est annulé. L'équipe est prévenue.",
  cancelRequested: "L'entretien a lieu très bientôt : votre annulation a donc été transmise à l'équipe, qui vous contactera.",
  moveRequested: "L'entretien a lieu très bientôt : votre demande de changement a donc été transmise à l'équipe, qui vous contactera.",
  invalid: "Ce lien ne fonctionne plus. Répondez à l'e-mail reçu pour en demander un nouveau.",
  tooMany: "Trop de demandes. Merci de patienter une minute avant de réessayer.",
  failed: "Un problème est survenu de notre côté. Merci de réessayer dans une minute.",
  calendarTitle: (n) => `Entretien (${n} sessions)`,
};

const es: PageTexts = {
  title: "Elija la hora de su entrevista",
  hello: (n) => `Hola ${n}:`,
  intro: (what, m, c) => `${what}: ${c === 1 ? "una entrevista" : `${c} entrevistas con el equipo`}, ${m} minutos en total.`,
  video: "Videollamada",
  onsite: "Presencial",
  zone: "Zona horaria",
  show: "Mostrar horas",
  pick: "Elija una hora que le venga bien. Todas las horas de abajo sirven para todo el panel.",
  book: "Reservar",
  none: "No hay horas libres en los próximos días. El equipo lo sabe y se pondrá en contacto.",
  taken: "Lo sentimos, esa hora se acaba de ocupar. Estas son las próximas horas libres.",
  booked: "Su entrevista está reservada. Recibirá una invitación por correo.",
  moved: "Su entrevista se ha cambiado. Recibirá una invitación actualizada.",
  yourTime: "Su entrevista",
  addToCalendar: "Descargar archivo de calendario (.ics)",
  join: "Enlace de vídeo",
  moveIt: "¿Necesita otra hora? Elija abajo.",
  cancel: "Cancelar la entrevista",
  cancelled: "Su entrevista está cancelada. El equipo lo sabe.",
  cancelRequested: "La entrevista es muy pronto, así que su cancelación se ha pasado al equipo, que se pondrá en contacto con usted.",
  moveRequested: "La entrevista es muy pronto, así que su petición de cambiarla se ha pasado al equipo, que se pondrá en contacto con usted.",
  invalid: "Este enlace ya no funciona. Responda al correo que recibió y pida uno nuevo.",
  tooMany: "Demasiadas solicitudes. Espere un minuto y vuelva a intentarlo.",
  failed: "Algo ha fallado por nuestra parte. Vuelva a intentarlo dentro de un minuto.",
  calendarTitle: (n) => `Entrevista (${n} sesiones)`,
};

const ALL: Record<LinkLanguage, PageTexts> = { en, pt, de, fr, es };

export function textsFor(language: LinkLanguage): PageTexts {
  return ALL[language];
}
