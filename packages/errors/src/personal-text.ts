import { REDACTED } from './sensitive-keys.js';

// Both patterns are linear: a match may only start where the previous
// character cannot continue it (look-behind), and each body is bounded
// (at most 19 digits / 34 characters), so every start costs O(1).

/** 13–19 digits, optionally grouped by single spaces or dashes; first digit 2–6 (card networks). */
const CARD = /(?<!\d)[2-6](?:[ -]?\d){12,18}(?![\d])/g;
/** ISO 13616: country, check digits, 11–30 alphanumerics, optionally in groups of four. */
const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;

/** The Luhn checksum every payment card number carries. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The ISO 7064 mod-97 check of an IBAN (letters count as 10–35). */
export function ibanValid(compact: string): boolean {
  const moved = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    rest = c < 65 ? (rest * 10 + (c - 48)) % 97 : (rest * 100 + (c - 55)) % 97;
  }
  return rest === 1;
}

/**
 * Replace payment card numbers (Luhn-valid, 13–19 digits, network prefix
 * 2–6) and IBANs (mod-97 valid) found anywhere in `value`. Long numbers that
 * fail the checksum (order ids, timestamps) are kept.
 */
export function scrubPersonalShapes(value: string): string {
  let out = value;
  if (/\d{4}/.test(out) || /\d[ -]\d/.test(out)) {
    out = out.replace(CARD, (m) => (luhn(m.replace(/[ -]/g, '')) ? REDACTED : m));
  }
  if (/[A-Z]{2}\d\d/.test(out)) {
    out = out.replace(IBAN, (m) => (ibanValid(m.replace(/ /g, '')) ? REDACTED : m));
  }
  return out;
}
