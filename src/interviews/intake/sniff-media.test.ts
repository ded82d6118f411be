import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sniffMedia } from "./sniff-media.ts";

function bytes(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p));
  while (out.length < 64) out.push(0);
  return Uint8Array.from(out);
}

describe("sniffing media by magic numbers", () => {
  it("recognises each supported container", () => {
    const cases: [Uint8Array, string][] = [
      [bytes([0, 0, 0, 0x20], "ftypisom"), "mp4"],
      [bytes([0, 0, 0, 0x14], "ftypqt  "), "mov"],
      [bytes([0, 0, 0, 0x20], "ftypM4A "), "m4a"],
      [bytes([0, 0, 0x10, 0], "moov"), "mov"],
      [bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], "webm"), "webm"],
      [bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88], "matroska"), "mkv"],
      [bytes("RIFF", [0x24, 0, 0, 0], "WAVEfmt "), "wav"],
      [bytes("ID3", [4, 0]), "mp3"],
      [bytes([0xff, 0xfb, 0x90, 0x64]), "mp3"],
      [bytes("OggS", [0, 2]), "ogg"],
      [bytes("fLaC", [0, 0, 0, 0x22]), "flac"],
    ];
    for (const [b, kind] of cases) assert.equal(sniffMedia(b)?.kind, kind, `expected ${kind}`);
  });

  it("refuses text, HTML, other RIFF files, ADTS AAC and empty input", () => {
    assert.equal(sniffMedia(bytes("this is a plain text file, not a video")), null);
    assert.equal(sniffMedia(bytes("<!doctype html><html>")), null);
    assert.equal(sniffMedia(bytes("RIFF", [0, 0, 0, 0], "AVI LIST")), null);
    assert.equal(sniffMedia(bytes([0xff, 0xf1, 0x50, 0x80])), null);
    assert.equal(sniffMedia(new Uint8Array()), null);
  });
});
