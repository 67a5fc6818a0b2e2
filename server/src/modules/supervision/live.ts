import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { civilDate, now } from '../../platform/clock.js';

/**
 * Live updates for the board (server-sent events), one hub per server node. Every second while someone
 * listens, the hub reads two sequences — the case change counter bumped by the `sup_cases_dirty` trigger and
 * `sup_change_seq` bumped by alert and card writes — and the next deadline still ahead (one index probe).
 * A change on any node moves a sequence in the shared database, and a deadline passing needs no write at
 * all, so every node notices both without a bus between nodes; PGlite and PostgreSQL behave the same.
 */
export type LiveEvent = { seq: number; at: string; reason: 'change' | 'deadline' | 'day' };
type Listener = (e: LiveEvent) => void;

const TICK_MS = 1000;

type Hub = {
  listeners: Set<Listener>;
  timer: NodeJS.Timeout | null;
  seq: number;
  nextDeadline: number | null;
  day: string;
  busy: boolean;
};

const hubs = new WeakMap<Db, Hub>();

async function readSeq(db: Db): Promise<number> {
  const r = await sql<{ a: number; b: number }>`
    SELECT (SELECT last_value FROM sup_dirty_seq_seq)::bigint AS a, (SELECT last_value FROM sup_change_seq)::bigint AS b`.execute(
    db,
  );
  return Number(r.rows[0]?.a ?? 0) + Number(r.rows[0]?.b ?? 0);
}

async function nextDeadline(db: Db, after: Date): Promise<number | null> {
  const r = await sql<{ due: Date | null }>`
    SELECT min(promised_due_at) AS due FROM cases
    WHERE status IN ('accepted','approved','denied') AND promised_due_at > ${after}`.execute(db);
  const due = r.rows[0]?.due;
  return due ? new Date(due).getTime() : null;
}

async function tick(db: Db, hub: Hub): Promise<void> {
  if (hub.busy) return;
  hub.busy = true;
  try {
    const at = now();
    const seq = await readSeq(db);
    let reason: LiveEvent['reason'] | null = null;
    if (seq !== hub.seq) reason = 'change';
    else if (hub.nextDeadline !== null && at.getTime() >= hub.nextDeadline) reason = 'deadline';
    else if (civilDate(at) !== hub.day) reason = 'day';
    if (reason || hub.nextDeadline === null || at.getTime() >= hub.nextDeadline)
      hub.nextDeadline = await nextDeadline(db, at);
    hub.seq = seq;
    hub.day = civilDate(at);
    if (reason) {
      const e: LiveEvent = { seq, at: at.toISOString(), reason };
      for (const l of hub.listeners) l(e);
    }
  } catch {
    // A failed probe (database restarting) is retried on the next tick; listeners keep their connection.
  } finally {
    hub.busy = false;
  }
}

/** Listen for board changes; returns the function that stops listening. */
export async function subscribe(db: Db, listener: Listener): Promise<() => void> {
  let hub = hubs.get(db);
  if (!hub) {
    hub = { listeners: new Set(), timer: null, seq: 0, nextDeadline: null, day: '', busy: false };
    hubs.set(db, hub);
  }
  const h = hub;
  if (h.listeners.size === 0) {
    h.seq = await readSeq(db);
    h.day = civilDate(now());
    h.nextDeadline = await nextDeadline(db, now());
    h.timer = setInterval(() => void tick(db, h), TICK_MS);
    h.timer.unref();
  }
  h.listeners.add(listener);
  return () => {
    h.listeners.delete(listener);
    if (h.listeners.size === 0 && h.timer) {
      clearInterval(h.timer);
      h.timer = null;
    }
  };
}
