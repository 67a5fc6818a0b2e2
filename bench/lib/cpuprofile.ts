import { readFileSync } from 'node:fs';

/**
 * Summarise a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- lifecycle --profile`): self time by
 * function and by file/package, so the report can say what dominates without opening a flame graph.
 *
 *   npx tsx bench/lib/cpuprofile.ts FILE.cpuprofile [--top 40]
 */
type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
export type Profile = {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/**
 * Where a frame's code lives: its npm package, `node:…`, a file under server/src, or native/V8 — V8's own
 * pseudo-frames apart: `(idle)`, `(garbage collector)`, `(program)`.
 */
function where(url: string, functionName = ''): string {
  if (!url) return /^\(.+\)$/.test(functionName) ? functionName : '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/server/src/');
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
}

/** Sampled self time (µs) by function and by file or package. */
function selfTimes(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const w = where(f.url, f.functionName);
    file.set(w, (file.get(w) ?? 0) + us);
  }
  return { byId, total, fn, file };
}

/** Self time by file or package, largest first, as [where, per cent of the samples with one decimal]. */
export function packageShares(profile: Profile): [string, number][] {
  const { total, file } = selfTimes(profile);
  return [...file]
    .sort((a, b) => b[1] - a[1])
    .map(([k, us]) => [k, total > 0 ? Math.round((us / total) * 1000) / 10 : 0]);
}

export function summarise(profile: Profile, top = 40): string[] {
  const { byId, total, fn, file } = selfTimes(profile);
  // Inclusive: the share of samples with the package (or server function) anywhere on the stack. Async code
  // resumes on a fresh stack, so a function's inclusive time is the synchronous part of it after each await.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incPkg = new Map<string, number>();
  const incFn = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const dt = profile.timeDeltas[i] ?? 0;
    const pkgs = new Set<string>();
    const fns = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)?.callFrame;
      if (!f?.url) continue;
      const w = where(f.url);
      pkgs.add(w);
      if (w.startsWith('server/src/')) fns.add(`${f.functionName || '(anonymous)'} ${w}:${f.lineNumber + 1}`);
    }
    for (const k of pkgs) incPkg.set(k, (incPkg.get(k) ?? 0) + dt);
    for (const k of fns) incFn.set(k, (incFn.get(k) ?? 0) + dt);
  }
  const pctOf = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  const lines = [`total sampled ${(total / 1e6).toFixed(1)} s`, '', 'self time by file / package:'];
  for (const [k, us] of [...file].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pctOf(us)}  ${k}`);
  lines.push('', 'inclusive time by file / package (on the stack):');
  for (const [k, us] of [...incPkg].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`${pctOf(us)}  ${k}`);
  lines.push('', 'inclusive time by server function:');
  for (const [k, us] of [...incFn].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`${pctOf(us)}  ${k}`);
  lines.push('', 'self time by function:');
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pctOf(us)}  ${k}`);
  return lines;
}

if (process.argv[1]?.endsWith('cpuprofile.ts')) {
  const [path, flag, n] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: npx tsx bench/lib/cpuprofile.ts FILE.cpuprofile [--top 40]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  process.stdout.write(`${summarise(profile, flag === '--top' ? Number(n) : 40).join('\n')}\n`);
}
