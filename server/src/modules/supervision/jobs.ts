import { registerPeriodic } from '../../platform/jobs/index.js';
import { consumeDirty, sweepDeadlines } from './consume.js';

/** Batches one periodic run takes at most, so a large backlog cannot hold a runner for long. */
const BATCHES_PER_RUN = 20;

let registered = false;

/**
 * Supervision's background work, on the job runner (one node runs each occurrence): consume changed cases
 * into figures and case alerts every few seconds, and sweep the deadline indexes for cases that time alone
 * made late.
 */
export function registerSupervisionJobs(): void {
  if (registered) return;
  registered = true;
  registerPeriodic('supervision.consume', 5, async (ctx) => {
    let total = 0;
    for (let i = 0; i < BATCHES_PER_RUN; i++) {
      const n = await consumeDirty(ctx.db, { now: ctx.now });
      total += n;
      if (n === 0) break;
    }
    return total;
  });
  registerPeriodic('supervision.deadlines', 60, (ctx) => sweepDeadlines(ctx.db, ctx.now));
}
