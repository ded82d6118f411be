/** The booking page's "I'll be there" words, in the languages the page speaks (English by default). */
import type { LinkLanguage } from "../../scheduling/index.ts";

export interface AttendanceTexts {
  /** The locale the confirmation's moment is written in. */
  locale: string;
  heading: string;
  ask: string;
  button: string;
  /** Shown once they confirmed: `when` is the moment they pressed it, written for people. */
  confirmed: (when: string) => string;
}

const TEXTS: Record<LinkLanguage, AttendanceTexts> = {
  en: {
    locale: "en-GB",
    heading: "Will you be there?",
    ask: "Let the team know you are coming: one click, nothing else to fill in.",
    button: "I'll be there",
    confirmed: (when) => `You confirmed you will be there (${when}). Thank you, see you then.`,
  },
  pt: {
    locale: "pt-PT",
    heading: "Vai estar presente?",
    ask: "Confirme à equipa que vem: um clique, mais nada a preencher.",
    button: "Vou estar presente",
    confirmed: (when) => `Confirmou que vai estar presente (${when}). Obrigado, até lá.`,
  },
  de: {
    locale: "de-DE",
    heading: "Sind Sie dabei?",
    ask: "Sagen Sie dem Team Bescheid, dass Sie kommen: ein Klick, sonst nichts auszufüllen.",
    button: "Ich bin dabei",
    confirmed: (when) => `Sie haben bestätigt, dass Sie dabei sind (${when}). Danke, bis dann.`,
  },
  fr: {
    locale: "fr-FR",
    heading: "Serez-vous présent ?",
    ask: "Indiquez à l'équipe que vous venez : un clic, rien d'autre à remplir.",
    button: "Je serai là",
    confirmed: (when) => `Vous avez confirmé votre présence (${when}). Merci, à bientôt.`,
  },
  es: {
    locale: "es-ES",
    heading: "¿Estará allí?",
    ask: "Confirme al equipo que asistirá: un clic, nada más que rellenar.",
    button: "Allí estaré",
    confirmed: (when) => `Ha confirmado que asistirá (${when}). Gracias, hasta entonces.`,
  },
};

export function attendanceTextsFor(language: LinkLanguage): AttendanceTexts {
  return TEXTS[language] ?? TEXTS.en;
}
