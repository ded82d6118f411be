import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";

const main = join(import.meta.dirname, "..", "main.ts");

describe("fulcrum sandbox", () => {
  it("prints its URL and API key, serves Lever's API with them, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [main, "sandbox", "--port", "0", "--seed", "3", "--no-rate-limit"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("Press Ctrl+C")) resolve(out);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code} before starting: ${out}`)));
    });
    const url = /URL:\s+(\S+)/.exec(banner)?.[1];
    const key = /API key:\s+(\S+)/.exec(banner)?.[1];
    assert.ok(url?.endsWith("/v1"), banner);
    assert.ok(key);
    assert.match(banner, /Rate limit: off/);
    const res = await fetch(`${url}/stages`, { headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` } });
    assert.equal(res.status, 200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.match(out, /Lever sandbox stopped/);
  });

  it("rejects a port that is not a number with a clear message", async () => {
    const child = spawn(process.execPath, [main, "sandbox", "--port", "http"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (c: string) => (err += c));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.notEqual(code, 0);
    assert.match(err, /--port must be a whole number from 0 to 65535, got "http"/);
  });
});
