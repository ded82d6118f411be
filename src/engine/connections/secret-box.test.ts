import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../config/index.ts";
import { createSecretBox, loadSecretKey, parseSecretKey, SecretDecryptionError } from "./secret-box.ts";

describe("secret box", () => {
  it("round-trips a secret and never stores it in clear", () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal("lever-key-123", "connection:acme:credentials");
    assert.ok(!sealed.includes("lever-key-123"));
    assert.equal(box.open(sealed, "connection:acme:credentials"), "lever-key-123");
    assert.notEqual(box.seal("same", "c"), box.seal("same", "c"), "a fresh IV per seal");
  });

  it("says the key is wrong when a secret was sealed with another key", () => {
    const sealed = createSecretBox(randomBytes(32)).seal("s");
    assert.throws(
      () => createSecretBox(randomBytes(32)).open(sealed),
      (e: unknown) => {
        assert.ok(e instanceof SecretDecryptionError);
        assert.equal(e.reason, "wrong-key");
        assert.match(e.message, /another key.*FULCRUM_SECRET_KEY/);
        return true;
      },
    );
  });

  it("says the data was altered when the ciphertext is tampered with", () => {
    const box = createSecretBox(randomBytes(32));
    const parts = box.seal("a secret value").split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString("base64url");
    assert.throws(
      () => box.open(parts.join(".")),
      (e: unknown) => {
        assert.ok(e instanceof SecretDecryptionError);
        assert.equal(e.reason, "tampered");
        assert.match(e.message, /integrity check/);
        return true;
      },
    );
  });

  it("refuses a sealed value moved to another record (associated data)", () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal("k", "connection:a:credentials");
    assert.throws(() => box.open(sealed, "connection:b:credentials"), { name: "SecretDecryptionError" });
  });

  it("opens secrets sealed with a previous key after a rotation and marks them stale", () => {
    const oldKey = randomBytes(32);
    const sealed = createSecretBox(oldKey).seal("k", "c");
    const rotated = createSecretBox(randomBytes(32), { previous: [oldKey] });
    assert.equal(rotated.open(sealed, "c"), "k");
    assert.equal(rotated.isStale(sealed), true);
    assert.equal(rotated.isStale(rotated.seal("k", "c")), false);
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, "c"), /FULCRUM_SECRET_KEY_PREVIOUS/);
  });

  it("rejects a value that is not in the sealed format", () => {
    const box = createSecretBox(randomBytes(32));
    assert.throws(
      () => box.open("plain-text-key"),
      (e: unknown) => e instanceof SecretDecryptionError && e.reason === "malformed",
    );
  });
});

describe("secret key", () => {
  it("accepts 64 hex digits and 32 bytes of base64", () => {
    const key = randomBytes(32);
    assert.deepEqual(parseSecretKey(key.toString("hex"), "FULCRUM_SECRET_KEY"), key);
    assert.deepEqual(parseSecretKey(key.toString("base64"), "FULCRUM_SECRET_KEY"), key);
    assert.deepEqual(parseSecretKey(key.toString("base64url"), "FULCRUM_SECRET_KEY"), key);
  });

  it("rejects a key of the wrong length naming the variable and how to make one", () => {
    assert.throws(
      () => parseSecretKey("abcd", "FULCRUM_SECRET_KEY"),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.key, "FULCRUM_SECRET_KEY");
        assert.match(e.message, /32 bytes.*openssl rand/);
        return true;
      },
    );
    assert.throws(() => parseSecretKey("not a key!", "FULCRUM_SECRET_KEY"), ConfigError);
  });

  it("refuses to start with a database server but no FULCRUM_SECRET_KEY", () => {
    assert.throws(
      () => loadSecretKey({ dataDir: "/nonexistent", databaseUrl: "postgres://x/y" }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.key, "FULCRUM_SECRET_KEY");
        assert.match(e.message, /DATABASE_URL.*same key/);
        return true;
      },
    );
  });

  it("generates a key once into the data folder with mode 0600 and reuses it", () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-key-"));
    try {
      const first = loadSecretKey({ dataDir: dir });
      assert.equal(first.source, "generated");
      const path = join(dir, "secret.key");
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const second = loadSecretKey({ dataDir: dir });
      assert.equal(second.source, "file");
      assert.deepEqual(second.key, first.key);
      assert.equal(readFileSync(path, "utf8").trim(), first.key.toString("hex"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the previous key of a rotation and names it when malformed", () => {
    const old = randomBytes(32);
    const loaded = loadSecretKey({ dataDir: "/nonexistent", secretKey: randomBytes(32).toString("hex"), secretKeyPrevious: old.toString("base64") });
    assert.deepEqual(loaded.previous, [old]);
    assert.throws(
      () => loadSecretKey({ dataDir: "/nonexistent", secretKey: randomBytes(32).toString("hex"), secretKeyPrevious: "short" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_SECRET_KEY_PREVIOUS",
    );
  });

  it("prefers FULCRUM_SECRET_KEY over the file", () => {
    const key = randomBytes(32);
    const loaded = loadSecretKey({ dataDir: "/nonexistent", secretKey: key.toString("hex"), databaseUrl: "postgres://x/y" });
    assert.equal(loaded.source, "env");
    assert.deepEqual(loaded.key, key);
  });
});
