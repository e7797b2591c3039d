import { timingSafeEqual as bytesEqual, randomBytes, scrypt } from 'node:crypto';
import { invalidOptions, type OptionIssueInput, ValidationError } from '@plinth/errors';
import { fromB64NoPad, toB64NoPad } from './encoding.js';
import { CRYPTO_ERROR_CODES, cryptoError } from './errors.js';

/** scrypt cost parameters, as written in the PHC string (`ln` = log2 N). */
export interface PasswordHashOptions {
  /** log2 of the CPU/memory cost N. Default 16 (N = 65536). */
  ln?: number;
  /** Block size. Default 8. Memory ≈ 128 · N · r bytes (64 MiB with the defaults). */
  r?: number;
  /** Parallelism. Default 2. */
  p?: number;
  /** Longest accepted password in UTF-8 bytes, to bound work per request. Default 1024. */
  maxLength?: number;
}

/**
 * Defaults: OWASP's scrypt row N=2^16, r=8, p=2 (64 MiB per hash), at most
 * 1024 bytes of password.
 *
 * @example
 * ```ts
 * import { PASSWORD_DEFAULTS, hashPassword } from '@plinth/crypto';
 *
 * await hashPassword(pw, { ...PASSWORD_DEFAULTS, ln: 17 });
 * ```
 */
export const PASSWORD_DEFAULTS = Object.freeze({ ln: 16, r: 8, p: 2, maxLength: 1024 });

// Bounds for parameters read back from stored hashes: a hash planted in the
// database must not be able to ask for gigabytes of memory or minutes of CPU.
// Each parameter alone is not enough: ln=20 with r=32 is 4 GiB. So the
// combination is bounded too: memory 128·N·r ≤ 256 MiB and work N·r·p ≤ 2^22
// (4× the defaults; every OWASP scrypt row is 2^20).
const LIMITS = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_WORK = 2 ** 22;

function withinCost({ ln, r, p }: Params): boolean {
  const nr = 2 ** ln * r;
  return 128 * nr <= MAX_MEMORY_BYTES && nr * p <= MAX_WORK;
}
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PHC =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{1,88})\$([A-Za-z0-9+/]{1,88})$/;

interface Params {
  ln: number;
  r: number;
  p: number;
}

function resolve(options: PasswordHashOptions = {}): Params & { maxLength: number } {
  const merged = { ...PASSWORD_DEFAULTS, ...options };
  const issues: OptionIssueInput[] = [];
  for (const name of ['ln', 'r', 'p'] as const) {
    const [min, max] = LIMITS[name];
    const v = merged[name];
    if (!Number.isInteger(v) || v < min || v > max) {
      issues.push({ path: name, message: `must be an integer from ${min} to ${max}` });
    }
  }
  if (issues.length === 0 && !withinCost(merged)) {
    issues.push('cost too high (needs 128·2^ln·r ≤ 256 MiB and 2^ln·r·p ≤ 2^22)');
  }
  if (!Number.isInteger(merged.maxLength) || merged.maxLength < 1) {
    issues.push({ path: 'maxLength', message: 'must be a positive integer' });
  }
  if (issues.length > 0) throw invalidOptions('Password hashing options', issues);
  return merged;
}

function derive(password: string, salt: Buffer, params: Params, length: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const maxmem = 128 * N * params.r + 2 * 1024 * 1024;
  return new Promise((resolvePromise, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      length,
      { N, r: params.r, p: params.p, maxmem },
      // Bounded parameters leave only resource failures here; Node's error names no input.
      (err, key) => (err ? reject(err) : resolvePromise(key)),
    );
  });
}

function parsePhc(hash: string) {
  const m = typeof hash === 'string' ? PHC.exec(hash) : null;
  if (m === null) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const salt = fromB64NoPad(m[4]!);
  const digest = fromB64NoPad(m[5]!);
  if (salt === undefined || digest === undefined || salt.length < 8 || digest.length < 16)
    return undefined;
  for (const name of ['ln', 'r', 'p'] as const) {
    const [min, max] = LIMITS[name];
    if (params[name] < min || params[name] > max) return undefined;
  }
  if (!withinCost(params)) return undefined;
  return { params, salt, digest };
}

/** A 400: the password came from the client. */
function checkPassword(password: unknown, maxLength: number): asserts password is string {
  const problem: readonly [code: string, message: string, issue: string] | undefined =
    typeof password !== 'string' || password.length === 0
      ? ['PASSWORD_INVALID', 'Password must be a non-empty string', 'invalid']
      : Buffer.byteLength(password, 'utf8') > maxLength
        ? ['PASSWORD_TOO_LONG', `Password must be at most ${maxLength} bytes`, 'too_big']
        : undefined;
  if (problem === undefined) return;
  const [code, message, issue] = problem;
  throw new ValidationError(message, {
    code,
    errors: [{ path: 'password', message, code: issue }],
  });
}

/**
 * Hashes a password with scrypt into a PHC string
 * `$scrypt$ln=16,r=8,p=2$<salt>$<hash>` (unpadded base64, 16-byte salt,
 * 32-byte hash). Input is NFC-normalised. Empty or over-long passwords throw
 * a 400 ValidationError (`PASSWORD_INVALID`, `PASSWORD_TOO_LONG`).
 *
 * @example
 * ```ts
 * import { hashPassword } from '@plinth/crypto';
 *
 * const stored = await hashPassword('correct horse battery staple');
 * ```
 */
export async function hashPassword(
  password: string,
  options?: PasswordHashOptions,
): Promise<string> {
  const params = resolve(options);
  checkPassword(password, params.maxLength);
  const salt = randomBytes(SALT_BYTES);
  const digest = await derive(password, salt, params, HASH_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${toB64NoPad(salt)}$${toB64NoPad(digest)}`;
}

/**
 * Checks a password against a PHC string from {@link hashPassword}. Returns
 * false for a wrong password and for passwords longer than `maxLength` (no
 * hashing is done for those). A stored hash that does not parse, or asks for
 * out-of-bounds cost, throws `PASSWORD_HASH_MALFORMED` (500: stored data is bad).
 *
 * @example
 * ```ts
 * import { verifyPassword } from '@plinth/crypto';
 *
 * if (!(await verifyPassword(input, user.passwordHash))) throw new UnauthorizedError();
 * ```
 */
export async function verifyPassword(
  password: string,
  hash: string,
  options?: Pick<PasswordHashOptions, 'maxLength'>,
): Promise<boolean> {
  const maxLength = options?.maxLength ?? PASSWORD_DEFAULTS.maxLength;
  const parsed = parsePhc(hash);
  if (parsed === undefined) {
    throw cryptoError(
      CRYPTO_ERROR_CODES.PASSWORD_HASH_MALFORMED,
      'Stored password hash is not a valid scrypt PHC string',
    );
  }
  if (typeof password !== 'string' || password.length === 0) return false;
  if (Buffer.byteLength(password, 'utf8') > maxLength) return false;
  const digest = await derive(password, parsed.salt, parsed.params, parsed.digest.length);
  return bytesEqual(digest, parsed.digest);
}

/**
 * True when a stored hash should be replaced at the next successful login:
 * another algorithm, unparsable, or scrypt parameters different from
 * `options` (defaults: {@link PASSWORD_DEFAULTS}).
 *
 * @example
 * ```ts
 * import { hashPassword, needsRehash, verifyPassword } from '@plinth/crypto';
 *
 * if (await verifyPassword(input, user.hash)) {
 *   if (needsRehash(user.hash)) await saveHash(user.id, await hashPassword(input));
 * }
 * ```
 */
export function needsRehash(hash: string, options?: PasswordHashOptions): boolean {
  const wanted = resolve(options);
  const parsed = parsePhc(hash);
  if (parsed === undefined) return true;
  const { ln, r, p } = parsed.params;
  return (
    ln !== wanted.ln || r !== wanted.r || p !== wanted.p || parsed.digest.length !== HASH_BYTES
  );
}
