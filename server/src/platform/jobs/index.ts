/** Background jobs: what modules import. See registry.ts for the model, runner.ts for the machinery. */
export {
  cancelScheduled,
  type JobContext,
  type JobHandler,
  type JobLogger,
  type JobOptions,
  type PeriodicHandler,
  registerJob,
  registerPeriodic,
  scheduleAt,
  WAKE_CHANNEL,
} from './registry.js';
export { createJobRunner, type JobRunner, type JobRunnerOptions } from './runner.js';
