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

/** The civil date in Asia/Shanghai of an instant, as YYYY-MM-DD. */
export function civilDate(at: Date): string {
  return shanghaiDate.format(at);
}

export function today(): string {
  return civilDate(now());
}
