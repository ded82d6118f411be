import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { checkMediaUrl, fetchMedia, fetchTranscript, type MediaFetchPolicy } from "./fetch-media.ts";

const wavHeader = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x24, 0, 0, 0]), Buffer.from("WAVEfmt "), Buffer.alloc(52)]);

/** Test DNS: every *.test name resolves to loopback, as a rebinding attacker's DNS would. */
const fakeLookup = ((host: string, _opts: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) => {
  if (host.endsWith(".test")) return cb(null, [{ address: "127.0.0.1", family: 4 }]);
  return cb(Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" }), []);
}) as unknown as MediaFetchPolicy["lookup"];

let server: Server;
let port: number;
const hits: string[] = [];
/** Called when the connection serving an endless body closes, by path. */
const endlessClosed = new Map<string, () => void>();

/** Resolves true when the endless response at `path` is closed within `ms`, false otherwise. */
function closedWithin(path: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    endlessClosed.set(path, () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

function handle(path: string, res: ServerResponse): void {
  if (path === "/ok.wav") {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(Buffer.concat([wavHeader, Buffer.alloc(1000, 1)]));
  } else if (path === "/to-loopback-literal") {
    res.writeHead(302, { location: `https://127.0.0.1:${port}/ok.wav` });
    res.end();
  } else if (path === "/to-loopback-http") {
    res.writeHead(301, { location: `http://127.0.0.1:${port}/ok.wav` });
    res.end();
  } else if (path === "/to-rebinding-host") {
    res.writeHead(307, { location: `https://evil.test:${port}/ok.wav` });
    res.end();
  } else if (path === "/to-unlisted") {
    res.writeHead(302, { location: "https://elsewhere.example/ok.wav" });
    res.end();
  } else if (path === "/relative") {
    res.writeHead(302, { location: "/ok.wav" });
    res.end();
  } else if (path === "/redirect-endless" || path === "/error-endless") {
    // A 3xx or 4xx whose body never ends: the client must hang up, not read it forever.
    res.writeHead(path === "/redirect-endless" ? 302 : 403, path === "/redirect-endless" ? { location: "/ok.wav" } : {});
    const t = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
    res.on("error", () => {});
    res.on("close", () => {
      clearInterval(t);
      endlessClosed.get(path)?.();
    });
  } else if (path === "/loop") {
    res.writeHead(302, { location: "/loop" });
    res.end();
  } else if (path === "/huge") {
    // No Content-Length: the cap must be enforced on the bytes as they arrive.
    res.writeHead(200, { "content-type": "video/mp4" });
    res.write(wavHeader);
    let sent = 0;
    const pump = () => {
      while (sent < 50 * 1024 * 1024) {
        sent += 64 * 1024;
        if (!res.write(Buffer.alloc(64 * 1024))) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("error", () => {});
    pump();
  } else if (path === "/declared-huge") {
    res.writeHead(200, { "content-type": "video/mp4", "content-length": String(10 * 1024 * 1024) });
    res.write(wavHeader);
  } else if (path === "/text-as-video") {
    res.writeHead(200, { "content-type": "video/mp4" });
    res.end("Sorry, this recording has expired. Please contact support for a new link.\n".repeat(5));
  } else if (path === "/talk.vtt") {
    // Labelled as something else: the bytes decide.
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end("WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ann>Tell me about yourself.</v>\n");
  } else if (path === "/talk.srt") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("1\n00:00:01,000 --> 00:00:03,000\nTell me about yourself.\n");
  } else if (path === "/to-transcript") {
    res.writeHead(302, { location: "/talk.vtt" });
    res.end();
  } else if (path === "/html-as-vtt") {
    res.writeHead(200, { "content-type": "text/vtt" });
    res.end("<!DOCTYPE html><html><body>Sign in to see this transcript</body></html>".repeat(20));
  } else if (path === "/wav-as-vtt") {
    res.writeHead(200, { "content-type": "text/vtt" });
    res.end(Buffer.concat([wavHeader, Buffer.alloc(1000, 1)]));
  } else if (path === "/huge.vtt") {
    res.writeHead(200, { "content-type": "text/vtt" });
    res.write("WEBVTT\n\n");
    const t = setInterval(() => res.write("00:01.000 --> 00:03.000\nwords words words words\n\n".repeat(1000)), 2);
    res.on("error", () => {});
    res.on("close", () => clearInterval(t));
  } else if (path === "/stall") {
    res.writeHead(200, { "content-type": "audio/wav" });
    res.write(wavHeader);
  } else if (path === "/trickle") {
    res.writeHead(200, { "content-type": "audio/wav" });
    res.write(wavHeader);
    const t = setInterval(() => res.write(Buffer.alloc(10)), 40);
    res.on("close", () => clearInterval(t));
  } else {
    res.writeHead(404);
    res.end();
  }
}

before(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handle(req.url ?? "", res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function policy(extra: Partial<MediaFetchPolicy> = {}): MediaFetchPolicy {
  return { allowedHosts: ["media.test", "127.0.0.1", "evil.test"], insecureHosts: ["media.test"], lookup: fakeLookup, ...extra };
}

function url(path: string): string {
  return `http://media.test:${port}${path}`;
}

async function rejectsWith(p: Promise<unknown>, status: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InterviewMediaError, `expected InterviewMediaError, got ${String(e)}`);
    assert.equal(e.status, status, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe("fetching media safely", () => {
  it("downloads an allowed recording to a temporary file, sniffs it, and cleans up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fetch-test-"));
    const media = await fetchMedia(url("/relative"), policy(), { dir });
    assert.equal(media.kind, "wav");
    assert.equal(media.bytes, wavHeader.length + 1000);
    assert.equal(media.redirects, 1);
    assert.equal(readFileSync(media.path).length, media.bytes);
    assert.equal(media.source, `http://media.test:${port}/…`);
    await media.cleanup();
    assert.deepEqual(readdirSync(dir), []);
  });

  it("refuses a redirect to 127.0.0.1 without requesting it, even when 127.0.0.1 is allow-listed", async () => {
    hits.length = 0;
    await rejectsWith(fetchMedia(url("/to-loopback-literal"), policy()), "blocked", /private, loopback or link-local/);
    await rejectsWith(fetchMedia(url("/to-loopback-http"), policy()), "blocked", /must use https/);
    assert.deepEqual(hits, ["/to-loopback-literal", "/to-loopback-http"]);
  });

  it("refuses a redirect to a host whose DNS answer is a loopback address (checked on the resolved address)", async () => {
    hits.length = 0;
    await rejectsWith(fetchMedia(url("/to-rebinding-host"), policy()), "blocked", /evil\.test resolves to a private, loopback/);
    assert.deepEqual(hits, ["/to-rebinding-host"]);
  });

  it("refuses hosts not on the tool's allow-list, at the start and on a redirect", async () => {
    await rejectsWith(fetchMedia("https://elsewhere.example/x.mp4", policy()), "blocked", /not on this tool's allow-list/);
    await rejectsWith(fetchMedia(url("/to-unlisted"), policy()), "blocked", /elsewhere\.example is not on this tool's allow-list/);
  });

  it("refuses plain http, credentials in the URL and redirect loops", async () => {
    assert.throws(() => checkMediaUrl("http://evil.test/x.mp4", policy()), /must use https/);
    assert.throws(() => checkMediaUrl("https://u:p@evil.test/x.mp4", policy()), /user name or password/);
    assert.throws(() => checkMediaUrl("https://169.254.169.254/latest", policy({ allowedHosts: ["169.254.169.254"] })), /link-local/);
    await rejectsWith(fetchMedia(url("/loop"), policy({ maxRedirects: 3 })), "blocked", /redirected more than 3 times/);
  });

  it("refuses an oversize body mid-stream and leaves nothing on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fetch-test-"));
    await rejectsWith(
      fetchMedia(url("/huge"), policy({ maxBytes: 256 * 1024 }), { dir }),
      "too-large",
      /went over the limit of 262144 bytes while downloading/,
    );
    assert.deepEqual(readdirSync(dir), []);
    await rejectsWith(fetchMedia(url("/declared-huge"), policy({ maxBytes: 1024 * 1024 })), "too-large", /is 10485760 bytes, over the limit/);
  });

  it("refuses a text file labelled video/mp4, by its bytes", async () => {
    await rejectsWith(fetchMedia(url("/text-as-video"), policy()), "not-media", /not a supported audio or video file .*the server called it "video\/mp4"/);
  });

  it("times out a server that stops sending, and one that trickles past the whole-fetch limit", async () => {
    const started = Date.now();
    await rejectsWith(fetchMedia(url("/stall"), policy({ idleTimeoutMs: 300 })), "timeout", /sent nothing for 300 ms/);
    await rejectsWith(fetchMedia(url("/trickle"), policy({ timeoutMs: 600, idleTimeoutMs: 5000 })), "timeout", /took longer than 600 ms/);
    assert.ok(Date.now() - started < 5000);
  });

  it("hangs up on a redirect or an error status whose body never ends", async () => {
    const redirectClosed = closedWithin("/redirect-endless", 2000);
    const media = await fetchMedia(url("/redirect-endless"), policy());
    await media.cleanup();
    assert.equal(media.redirects, 1);
    assert.equal(await redirectClosed, true, "the redirect's connection was closed promptly");
    const errorClosed = closedWithin("/error-endless", 2000);
    await rejectsWith(fetchMedia(url("/error-endless"), policy()), "fetch-failed", /answered HTTP 403/);
    assert.equal(await errorClosed, true, "the error's connection was closed promptly");
  });

  it("reports an HTTP error status as a fetch failure", async () => {
    await rejectsWith(fetchMedia(url("/missing"), policy()), "fetch-failed", /answered HTTP 404/);
    assert.equal(existsSync("/nonexistent"), false);
  });
});

describe("fetching a transcript by URL under the same rules", () => {
  it("downloads WebVTT and SRT by their bytes, whatever the server calls them, following an allowed redirect and leaving nothing on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fetch-test-"));
    const vtt = await fetchTranscript(url("/to-transcript"), policy(), { dir });
    assert.equal(vtt.format, "vtt");
    assert.equal(vtt.redirects, 1);
    assert.match(vtt.text, /^WEBVTT\n/);
    assert.equal(vtt.source, `http://media.test:${port}/…`);
    const srt = await fetchTranscript(url("/talk.srt"), policy(), { dir });
    assert.equal(srt.format, "srt");
    assert.deepEqual(readdirSync(dir), []);
  });

  it("refuses an HTML page or a recording served as text/vtt, by its first bytes", async () => {
    await rejectsWith(
      fetchTranscript(url("/html-as-vtt"), policy()),
      "transcript-invalid",
      /not WebVTT, SRT or JSON segments.*the server called it "text\/vtt"/,
    );
    await rejectsWith(fetchTranscript(url("/wav-as-vtt"), policy()), "transcript-invalid", /not WebVTT, SRT or JSON/);
  });

  it("blocks a transcript URL off the allow-list, over plain http, or redirected to a loopback address, naming it a transcript", async () => {
    hits.length = 0;
    await rejectsWith(
      fetchTranscript("https://elsewhere.example/t.vtt", policy()),
      "blocked",
      /transcript host elsewhere\.example is not on this tool's allow-list/,
    );
    await rejectsWith(fetchTranscript("http://evil.test/t.vtt", policy()), "blocked", /transcript URL .* must use https/);
    await rejectsWith(fetchTranscript(url("/to-loopback-literal"), policy()), "blocked", /private, loopback or link-local/);
    await rejectsWith(fetchTranscript(url("/to-rebinding-host"), policy()), "blocked", /transcript host evil\.test resolves to a private, loopback/);
    assert.deepEqual(hits, ["/to-loopback-literal", "/to-rebinding-host"]);
  });

  it("caps a transcript's size mid-stream", async () => {
    await rejectsWith(fetchTranscript(url("/huge.vtt"), policy({ maxBytes: 64 * 1024 })), "too-large", /transcript from .* went over the limit of 65536 bytes/);
  });
});
