/**
 * Identical reads asked for at the same time, answered by one execution (per server process).
 *
 * A read that arrives while the same read (same key) is running does not join it — that answer's snapshot
 * may predate the request — but waits for the next run, which starts as soon as the running one ends and
 * answers everyone who arrived in the meantime. So no answer is older than its request, and any number of
 * identical requests at once cost at most two executions. For reads whose answer depends only on the key
 * (a supervisor's board for a region, say): every dashboard on a node refreshes on the same change event,
 * at the same instant.
 */
export class Coalescer<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly queued = new Map<string, Promise<T>>();

  /** How many keys have a run in progress (for tests and metrics). */
  get inFlight(): number {
    return this.running.size;
  }

  run(key: string, read: () => Promise<T>): Promise<T> {
    const queued = this.queued.get(key);
    if (queued) return queued;
    const current = this.running.get(key);
    if (!current) return this.start(key, read);
    // `current` settles after its own cleanup (below), so the next run finds the key free.
    const next = current.then(
      () => this.startQueued(key, read),
      () => this.startQueued(key, read),
    );
    this.queued.set(key, next);
    return next;
  }

  private startQueued(key: string, read: () => Promise<T>): Promise<T> {
    this.queued.delete(key);
    return this.start(key, read);
  }

  private start(key: string, read: () => Promise<T>): Promise<T> {
    const run: Promise<T> = (async () => read())().finally(() => {
      if (this.running.get(key) === run) this.running.delete(key);
    });
    this.running.set(key, run);
    return run;
  }
}

/**
 * A coalescer per database handle (two platforms in one process — tests, a primary and its replica — never
 * share answers); the key is left to the caller.
 */
export function coalescerPerDatabase<T>(): (db: object) => Coalescer<T> {
  const byDb = new WeakMap<object, Coalescer<T>>();
  return (db) => {
    let c = byDb.get(db);
    if (!c) {
      c = new Coalescer<T>();
      byDb.set(db, c);
    }
    return c;
  };
}
