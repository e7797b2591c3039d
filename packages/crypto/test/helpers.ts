import { randomBytes } from 'node:crypto';
import { isAppError } from '@plinth/errors';
import { expect } from 'vitest';

export const K1 = randomBytes(32);
export const K2 = randomBytes(32);
export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** Runs fn, expects any AppError and returns it. */
export function catchError(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(isAppError(err), `expected an AppError, got ${String(err)}`).toBe(true);
    return err as Error & { code: string };
  }
  throw new Error('expected a throw');
}

/** Runs fn, expects an AppError with `code`, and returns it. */
export function expectCode(fn: () => unknown, code: string) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isAppError(caught), `expected an AppError, got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
  return caught as Error & { code: string; status: number; severity: string; context?: unknown };
}

export async function expectCodeAsync(fn: () => Promise<unknown>, code: string) {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(isAppError(caught), `expected an AppError, got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
  return caught as Error & { code: string; status: number; retryable?: boolean };
}

/** Everything an error could reveal in a log line. */
export function serialised(err: unknown): string {
  const e = err as Error & { toJSON?: () => unknown };
  return `${e.message}\n${e.stack}\n${JSON.stringify(e.toJSON?.() ?? {})}`;
}
