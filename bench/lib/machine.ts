import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import pg from 'pg';

/**
 * What a benchmark report needs to say about the machine: cores, memory, Node and PostgreSQL versions, and
 * how busy the machine was with other work while we measured (the CPU time of everything that is neither the
 * server, the load generator nor PostgreSQL), so a figure taken while colleagues ran browser tests is
 * recognisable as such.
 */
export type MachineFacts = {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** The commit the server code came from, with "+dirty" when server/ had uncommitted changes. */
  commit: string;
  postgres?: { version: string; settings: Record<string, string> };
};

export async function machineFacts(pgUrl?: string): Promise<MachineFacts> {
  const facts: MachineFacts = {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'cpu',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `Linux ${release()}`,
    node: process.version,
    commit: gitCommit(),
  };
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      const v = await c.query<{ server_version: string }>('SHOW server_version');
      const s = await c.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings WHERE name IN
          ('shared_buffers','max_connections','synchronous_commit','fsync','wal_level','work_mem',
           'effective_cache_size','checkpoint_timeout','max_wal_size')`,
      );
      facts.postgres = {
        version: v.rows[0]?.server_version ?? '?',
        settings: Object.fromEntries(
          s.rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
        ),
      };
    } finally {
      await c.end();
    }
  }
  return facts;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'bin'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** Clock ticks per second of /proc/…/stat (USER_HZ; 100 on every Linux we run on). */
const HZ = 100;

/** A process's CPU ticks in user mode and in the kernel (all its threads). */
function procCpu(pid: number | string): { user: number; system: number } {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: the fields we want come after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), system: Number(fields[12]) }; // fields 14 and 15 of the full line
  } catch {
    return { user: 0, system: 0 };
  }
}

function procTicks(pid: number | string): number {
  const { user, system } = procCpu(pid);
  return user + system;
}

/**
 * How often a process's main thread (its JavaScript thread, for Node) was switched out while it could have
 * run — another process took its core — from /proc/<pid>/status.
 */
function switchedOut(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A process and its descendants (a `WORKERS=N` server is a primary and N workers), from /proc. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++)
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

function postgresTicks(): number {
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    sum += procTicks(pid);
  }
  return sum;
}

export type CpuSnapshot = {
  at: number;
  busy: number;
  /** Ticks the hypervisor gave to other guests while ours wanted to run (part of `busy`). */
  steal: number;
  total: number;
  server: number;
  /** The server's ticks in the kernel (part of `server`). */
  serverSystem: number;
  /** Involuntary switches of the server processes' main threads. */
  serverSwitchedOut: number;
  bench: number;
  postgres: number;
  loadavg: number[];
};

export function cpuSnapshot(serverPid: number | null): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const idle = v[3] + v[4];
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const usage = process.cpuUsage();
  const tree = serverPid && serverPid !== process.pid ? processTree(serverPid) : [];
  const serverCpu = tree.map((pid) => procCpu(pid));
  return {
    at: performance.now(),
    busy: total - idle,
    steal: v[7] ?? 0,
    total,
    server: serverCpu.reduce((sum, c) => sum + c.user + c.system, 0),
    serverSystem: serverCpu.reduce((sum, c) => sum + c.system, 0),
    serverSwitchedOut: tree.reduce((sum, pid) => sum + switchedOut(pid), 0),
    bench: ((usage.user + usage.system) / 1e6) * HZ,
    postgres: postgresTicks(),
    loadavg: loadavg(),
  };
}

/** CPU used between two snapshots, in cores (1.0 = one core busy the whole time). */
export type CpuUse = {
  machineBusy: number;
  server: number;
  loadGenerator: number;
  postgres: number;
  /** Everything else on the machine: other people's work, the kernel's own (not `stolen`). */
  other: number;
  /**
   * CPU the hypervisor gave to other guests while this machine's cores wanted to run ("steal" in
   * /proc/stat): a virtual machine on a busy host. Well above zero, the figures are low for a reason outside
   * the code — and CPU time per operation is higher too, the cores being shared underneath.
   */
  stolen: number;
  /**
   * Share of the server's CPU spent in the kernel (system calls: socket writes and reads), in per cent; null
   * when the server is not a process of its own.
   */
  serverKernelPct: number | null;
  /**
   * Times a second the server's main thread was switched out while runnable. A CPU profile charges that wait
   * to the frame it interrupted — mostly `writev`, right after a write woke a PostgreSQL backend — so a high
   * figure here with a low kernel share says the profile's `writev` is waiting for a core, not the call.
   */
  serverSwitchedOutPerSec: number | null;
  loadavg1: number;
};

export function cpuUse(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const seconds = (b.at - a.at) / 1000;
  const cores = (ticks: number) => Math.round((ticks / HZ / seconds) * 100) / 100;
  const busy = b.busy - a.busy;
  const server = b.server - a.server;
  const bench = b.bench - a.bench;
  const postgres = b.postgres - a.postgres;
  const steal = b.steal - a.steal;
  return {
    machineBusy: cores(busy),
    server: cores(server),
    loadGenerator: cores(bench),
    postgres: cores(postgres),
    other: cores(Math.max(0, busy - steal - server - bench - postgres)),
    stolen: cores(steal),
    serverKernelPct: server > 0 ? Math.round(((b.serverSystem - a.serverSystem) / server) * 1000) / 10 : null,
    serverSwitchedOutPerSec:
      server > 0 ? Math.round((b.serverSwitchedOut - a.serverSwitchedOut) / seconds) : null,
    loadavg1: Math.round(b.loadavg[0] * 100) / 100,
  };
}

/**
 * Resident set size in MB of a process with its descendants (a `WORKERS=N` server's primary and workers),
 * from /proc/<pid>/status (VmRSS; VmHWM is each process's peak, summed).
 */
export function rssMB(pid: number): { rss: number; peak: number } | null {
  let rss = 0;
  let peak = 0;
  for (const p of processTree(pid)) {
    try {
      const text = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
      rss += kb('VmRSS');
      peak += kb('VmHWM');
    } catch {
      if (p === pid) return null;
    }
  }
  return { rss: Math.round(rss / 1024), peak: Math.round(peak / 1024) };
}
