/**
 * Builds `skills.json`, the skills taxonomy, from the hand-written source lists beside this file.
 * Run `node src/screening/taxonomy/generate.ts` after editing a list; the JSON is committed so the
 * service never runs this at start-up. Fails loudly on duplicate skills or an alias claimed twice.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as business from "./sources-business.ts";
import * as dataDesignProduct from "./sources-data-design-product.ts";
import * as engineering from "./sources-engineering.ts";

export interface TaxonomySkill {
  name: string;
  category: string;
  aliases: string[];
  /** Names matched only with exactly this case (names that are also ordinary words). */
  caseSensitive?: string[];
  /** Short forms counted in a skills list only, never in prose (also a place or a phrase: "Palo Alto"). */
  listOnly?: string[];
}

const groups: [string, string][] = [
  ["engineering/languages", engineering.languages],
  ["engineering/frameworks", engineering.frameworks],
  ["engineering/data-stores", engineering.dataStores],
  ["engineering/cloud-devops", engineering.cloudDevops],
  ["engineering/practices", engineering.practices],
  ["engineering/security", engineering.security],
  ["data", dataDesignProduct.data],
  ["design", dataDesignProduct.design],
  ["product", dataDesignProduct.product],
  ["sales", business.sales],
  ["marketing", business.marketing],
  ["finance", business.finance],
  ["operations", business.operations],
  ["people", business.people],
  ["certifications", business.certifications],
];

export function buildTaxonomy(): { skills: TaxonomySkill[]; problems: string[] } {
  const skills: TaxonomySkill[] = [];
  const problems: string[] = [];
  const byName = new Map<string, string>();
  const claimed = new Map<string, string>();
  for (const [category, source] of groups) {
    for (const line of source.split("\n")) {
      if (!line.trim()) continue;
      const parts = line
        .split("|")
        .map((p) => p.trim())
        .filter(Boolean);
      const caseSensitive: string[] = [];
      const listOnly: string[] = [];
      const clean = parts.map((p) => {
        if (p.startsWith("~")) {
          listOnly.push(p.slice(1));
          return p.slice(1);
        }
        if (p.startsWith("=")) {
          caseSensitive.push(p.slice(1));
          return p.slice(1);
        }
        return p;
      });
      const [name, ...aliases] = clean;
      if (!name) continue;
      const key = name.toLowerCase();
      if (byName.has(key)) {
        problems.push(`duplicate skill "${name}" in ${category} (first in ${byName.get(key)})`);
        continue;
      }
      byName.set(key, category);
      const kept: string[] = [];
      for (const alias of [name, ...aliases]) {
        const k = alias.toLowerCase();
        const owner = claimed.get(k);
        if (owner && owner !== name) {
          if (alias !== name) problems.push(`alias "${alias}" of "${name}" already names "${owner}"; dropped`);
          continue;
        }
        claimed.set(k, name);
        if (alias !== name && !kept.includes(alias)) kept.push(alias);
      }
      skills.push({ name, category, aliases: kept, ...(caseSensitive.length ? { caseSensitive } : {}), ...(listOnly.length ? { listOnly } : {}) });
    }
  }
  return { skills, problems };
}

if (import.meta.filename === process.argv[1]) {
  const { skills, problems } = buildTaxonomy();
  for (const p of problems) process.stderr.write(`note: ${p}\n`);
  const out = { version: 1, generatedBy: "src/screening/taxonomy/generate.ts", count: skills.length, skills };
  writeFileSync(join(import.meta.dirname, "skills.json"), `${JSON.stringify(out, null, 1)}\n`);
  process.stdout.write(`wrote ${skills.length} skills\n`);
}
