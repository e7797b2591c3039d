/** `client.created`, `auth.login.failed`: two or more lower-case segments. */
export const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
/** Event ids, correlation and request ids. */
export const TOKEN = /^[A-Za-z0-9._:-]{1,128}$/;
/** Resource and actor types. */
export const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A non-empty string of at most `max` characters without control characters. */
export function isPlainText(value: unknown, max: number): value is string {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= max && !CONTROL.test(value)
  );
}

/** Removes control characters (client-supplied headers such as User-Agent) and caps the length. */
export function cleanHeader(value: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, max);
}

/** A Date from a Date, ISO string or epoch ms; `undefined` when invalid or outside years 1970–9999. */
export function toDate(value: unknown): Date | undefined {
  const d =
    value instanceof Date
      ? new Date(value.getTime())
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : undefined;
  if (d === undefined || Number.isNaN(d.getTime())) return undefined;
  const year = d.getUTCFullYear();
  return year >= 1970 && year <= 9999 ? d : undefined;
}
