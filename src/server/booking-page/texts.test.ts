/**
 * The booking page in each language it speaks: the date and time line written by `Intl` with the
 * zone named in the language, and no English left on a page in Portuguese, German, French or Spanish.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LINK_LANGUAGES, type LinkLanguage, type PublicOption, type PublicView } from "../../scheduling/index.ts";
import { whenText, zoneName } from "./dates.ts";
import { renderMessage, renderPage, type PageState } from "./render.ts";
import { textsFor, type PageTexts } from "./texts.ts";

const START = "2027-01-12T14:30:00Z";
const END = "2027-01-12T15:15:00Z";

const WHEN: Record<LinkLanguage, string> = {
  en: "Tuesday 12 January, 14:30–15:15 (Portugal time)",
  pt: "terça-feira, 12 de janeiro, 14:30–15:15 (hora de Portugal)",
  de: "Dienstag, 12. Januar, 14:30–15:15 (Westeuropäische Zeit)",
  fr: "mardi 12 janvier, 14:30–15:15 (heure : Portugal)",
  es: "martes, 12 de enero, 14:30–15:15 (hora de Portugal)",
};

const option = (start: string, end: string): PublicOption => ({ start, end, sessions: [{ title: "Technical", start, end }] });

const view = (language: LinkLanguage, over: Partial<PublicView> = {}): PublicView => ({
  status: "open",
  firstName: "Casey",
  title: "On-site Interview",
  format: "video",
  language,
  timezone: "Europe/Lisbon",
  sessions: [
    { title: "Technical", minutes: 45 },
    { title: "Hiring manager", minutes: 30 },
  ],
  minutes: 75,
  ...over,
});

/** Every state of the page in one language, and the generic messages: all its fixed texts shown. */
function everyPage(language: LinkLanguage): string {
  const t = textsFor(language);
  const base = { token: "tok", zone: "Europe/Lisbon", options: [option(START, END), option("2027-01-13T09:00:00Z", "2027-01-13T09:45:00Z")] };
  const notices: NonNullable<PageState["notice"]>[] = ["taken", "booked", "moved", "move-requested", "cancelled", "cancel-requested", "failed"];
  const booked = view(language, { status: "booked", booked: option(START, END), joinUrl: "https://meet.example/abc" });
  return [
    renderPage({ ...base, view: view(language) }),
    renderPage({ ...base, view: view(language, { format: "onsite", sessions: [{ title: "Technical", minutes: 45 }], minutes: 45 }), options: [] }),
    ...notices.map((notice) => renderPage({ ...base, view: booked, notice })),
    renderPage({ ...base, view: view(language, { status: "cancelled" }), options: [] }),
    renderPage({ ...base, view: view(language, { status: "cancel_requested" }), options: [] }),
    renderMessage(language, t.invalid),
    renderMessage(language, t.tooMany),
    renderMessage(language, t.failed),
  ].join("\n");
}

/** Each key's text (a function's with sample arguments), escaped as the page writes it. */
function keyTexts(t: PageTexts): [string, string][] {
  // Every function key must be given a sample here: spreading `t` leaves its functions, which a string record refuses.
  const samples: Record<keyof PageTexts, string> = {
    ...t,
    hello: t.hello("Casey"),
    intro: t.intro("On-site Interview", 75, 2),
    calendarTitle: t.calendarTitle(2),
  };
  return Object.entries(samples).map(([key, text]) => [key, text.replace(/'/g, "&#39;")]);
}

/** Texts that are not on the page (the downloaded calendar file's). */
const OFF_PAGE = new Set(["calendarTitle"]);

describe("the booking page's languages", () => {
  for (const language of LINK_LANGUAGES) {
    it(`writes the date, time and zone in ${language}`, () => {
      assert.equal(whenText(START, END, "Europe/Lisbon", language), WHEN[language]);
      assert.ok(!zoneName("America/New_York", language).includes("America"), zoneName("America/New_York", language));
      assert.equal(zoneName("UTC", language), "UTC");
    });
  }

  it("names a zone by its place in each language, and by its long name where the language uses an abbreviation", () => {
    assert.equal(zoneName("America/New_York", "en"), "New York time");
    assert.equal(zoneName("America/New_York", "pt"), "hora de Nova Iorque");
    assert.equal(zoneName("America/New_York", "de"), "Ortszeit New York");
    assert.equal(zoneName("America/New_York", "es"), "hora de Nueva York");
    assert.equal(zoneName("Europe/Berlin", "de"), "Mitteleuropäische Zeit");
    assert.equal(zoneName("Etc/GMT+5", "fr"), "UTC−5");
  });

  it("writes a span that ends on another day with both days", () => {
    assert.equal(
      whenText("2027-01-12T22:30:00Z", "2027-01-13T01:15:00Z", "Europe/Lisbon", "en"),
      "Tuesday 12 January, 22:30 – Wednesday 13 January, 01:15 (Portugal time)",
    );
  });

  for (const language of LINK_LANGUAGES.filter((l) => l !== "en")) {
    it(`has its own words for every text in ${language}, and no English left on its pages`, () => {
      const en = new Map(keyTexts(textsFor("en")));
      for (const [key, text] of keyTexts(textsFor(language))) assert.notEqual(text, en.get(key), `${language}.${key} is the English text`);
      const html = everyPage(language);
      assert.match(html, new RegExp(`<html lang="${language}"`));
      assert.ok(html.includes(WHEN[language]), `${language}: the booked time is written in the language`);
      for (const [key, text] of en) if (!OFF_PAGE.has(key)) assert.ok(!html.includes(text), `${language} page shows English ${key}: "${text}"`);
      assert.ok(!/Lisbon|Portugal time/.test(html.replace(/Europe\/Lisbon/g, "")), `${language}: the zone's English name`);
    });
  }

  it("shows every English text on the English pages (the check above can fail)", () => {
    const html = everyPage("en");
    for (const [key, text] of keyTexts(textsFor("en"))) if (!OFF_PAGE.has(key)) assert.ok(html.includes(text), `en page lacks ${key}: "${text}"`);
  });
});
