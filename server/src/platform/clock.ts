/**
 * The platform's notion of "now". Deadlines and letters are judged against it; tests and the demo can move
 * it forward (never in production: the test hook route is only mounted when TEST_HOOKS=true).
 */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function setClockOffset(ms: number): void {
  offsetMs = ms;
}

export function clockOffset(): number {
  return offsetMs;
}

const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** China has kept UTC+8 without daylight saving since 1991's ended on 1991-09-15 (02:00 local). */
const FIXED_OFFSET_SINCE = Date.UTC(1991, 8, 14, 17);
const EIGHT_HOURS = 8 * 3_600_000;

/**
 * The civil date in Asia/Shanghai of an instant, as YYYY-MM-DD. Since 1991 that is the UTC date eight hours
 * later — computed directly, as every list row and deadline asks for it; earlier instants (daylight saving
 * 1986–1991, older offsets) go through the time-zone database.
 */
export function civilDate(at: Date): string {
  const t = at.getTime();
  if (!(t >= FIXED_OFFSET_SINCE)) return shanghaiDate.format(at);
  return new Date(t + EIGHT_HOURS).toISOString().slice(0, 10);
}

export function today(): string {
  return civilDate(now());
}
