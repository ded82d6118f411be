/**
 * Password hashing with scrypt (node:crypto). A hash is stored as
 * `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`: the salt is random per password and the cost
 * parameters travel with the hash, so raising the cost later does not invalidate old passwords.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's recommendation for scrypt (about 128 MiB and a few hundred milliseconds per hash). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password with a fresh random salt.
 * @example
 * const stored = await hashPassword("correct horse battery staple");
 * await verifyPassword("correct horse battery staple", stored); // true
 */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new RangeError(`a password may have at most ${MAX_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const key = await derive(password, salt, { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** zxcvbn scores 0–4; 3 means "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;
/** zxcvbn's matching grows fast with length; a guessable start is what matters, so longer input is cut. */
const ESTIMATE_CHARS = 100;

type Estimator = (password: string, userInputs: string[]) => { score: number; warning: string | null; suggestions: string[] };
let estimator: Promise<Estimator> | undefined;

/**
 * zxcvbn with its common-password, English word, name and keyboard-pattern dictionaries. They are
 * several megabytes, so they are loaded on the first password set, once, not at start-up.
 */
function loadEstimator(): Promise<Estimator> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    return (password, userInputs) => {
      const result = zxcvbn.check(password.slice(0, ESTIMATE_CHARS), userInputs);
      return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
    };
  })();
  return estimator;
}

/** Words of the account (its e-mail address, name) and of Fulcrum that a password must not lean on. */
function wordsOf(inputs: readonly string[]): string[] {
  const words = new Set<string>(["fulcrum", "lever"]);
  for (const input of inputs) {
    const text = input.trim().toLowerCase();
    if (!text) continue;
    words.add(text);
    const local = text.split("@")[0]!;
    words.add(local);
    for (const part of local.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/**
 * The problem with a proposed password, or undefined when it is acceptable: at least 12
 * characters, and not guessable by zxcvbn's estimate (score 3 of 4 or better) — common passwords,
 * repeats, sequences, keyboard walks, dictionary words and the account's own e-mail or name are
 * refused with zxcvbn's reason and suggestion.
 * @example
 * await passwordProblem("password1234"); // "the password is too easy to guess: This is similar to a commonly used password. …"
 * await passwordProblem("plum orchard kettle 42"); // undefined
 */
export async function passwordProblem(password: string, userInputs: readonly string[] = []): Promise<string | undefined> {
  if (password.length < 12) return "a password needs at least 12 characters";
  if (password.length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  const estimate = (await loadEstimator())(password, wordsOf(userInputs));
  if (estimate.score >= MIN_SCORE) return undefined;
  const why = estimate.warning ?? "it follows a pattern that password-guessing tools try early.";
  const advice = estimate.suggestions.length > 0 ? estimate.suggestions.join(" ") : "Use a few uncommon words, or a password manager's random password.";
  return `the password is too easy to guess: ${why} ${advice}`;
}

/** A random password for a first admin: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]).join("");
}
