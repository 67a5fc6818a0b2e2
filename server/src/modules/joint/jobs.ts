import { registerPeriodic } from '../../platform/jobs/registry.js';
import { caseFileStore } from '../cases/files.js';
import { openJointIds, settleJoint } from './service.js';

/**
 * A member completes through its own case page, so the joint case learns of it here: every minute the open
 * joint cases are settled (and on every read of one). Settling is guarded by the joint row's version.
 */
let registered = false;
export function registerJointJobs(): void {
  if (registered) return;
  registered = true;
  registerPeriodic('joint.settle', 60, async (job) => {
    const ctx = { db: job.db, config: job.config, files: caseFileStore(job.config) };
    const ids = await openJointIds(job.db);
    for (const id of ids) {
      try {
        await settleJoint(ctx, id);
      } catch (err) {
        job.log.warn({ err, jointCaseId: id }, 'joint settle skipped a case');
      }
    }
    return ids.length;
  });
}
