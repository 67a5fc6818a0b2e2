import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMORY_FILES_PREFIX } from './server/src/modules/cases/files.js';

/** Whether a process with this id still runs (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * After the whole run: remove memory mode's file folders (`MEMORY_FILES_PREFIX` + pid) whose process is gone.
 * Vitest ends its worker processes with a signal, so their own exit handler (cases/files.ts) never runs.
 */
export default function setup(): () => void {
  return () => {
    for (const name of readdirSync(tmpdir())) {
      if (!name.startsWith(MEMORY_FILES_PREFIX)) continue;
      const pid = Number(name.slice(MEMORY_FILES_PREFIX.length));
      if (Number.isInteger(pid) && pid > 0 && !alive(pid))
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  };
}
