import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findSkills } from "./skills.ts";

const names = (text: string, strict = true) => findSkills(text, { strict }).map((s) => s.name);

describe("skills named in prose", () => {
  it("takes an everyday-word name (Go, Swift) only in a technical context", () => {
    assert.deepEqual(names("He has degrees from Oklahoma and Stanford. (Go Sooners and Cardinal!)"), []);
    assert.deepEqual(names("Swift delivery to every customer, Monday to Friday"), []);
    assert.deepEqual(names("Built ingestion services in Go handling 40k events per second."), ["Go"]);
    assert.deepEqual(names("Led the migration of a monolith to Go-based services"), ["Go"]);
    assert.deepEqual(names("Strong in Go, Kubernetes and Terraform"), ["Go", "Kubernetes", "Terraform"]);
    assert.deepEqual(names("Shipped three Swift apps for iPad"), ["Swift"]);
    // A list (or a requirement) of the bare name is its own context.
    assert.deepEqual(names("Go"), ["Go"]);
    assert.deepEqual(names("Go Sooners", false), ["Go"]);
  });

  it("needs a company's full name where its short form is a place (Palo Alto)", () => {
    assert.deepEqual(names("Palo Alto, CA"), []);
    assert.deepEqual(names("Rolled out Palo Alto Networks firewalls at 40 branches"), ["Palo Alto Networks"]);
    assert.deepEqual(names("Palo Alto, Fortinet", false), ["Palo Alto Networks", "Fortinet"]);
  });
});
