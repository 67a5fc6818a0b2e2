// Mainland China mobile numbers: 11 digits, 1 then a network digit 3-9.
// No +86 or separators: callers strip formatting before validating so the
// stored form is always the bare 11 digits.
const MOBILE_RE = /^1[3-9]\d{9}$/;

export function isValidMobile(s: string): boolean {
  return typeof s === 'string' && MOBILE_RE.test(s);
}
