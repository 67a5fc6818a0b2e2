import pg from 'pg';
import type { DbHandle } from '../../db/client.js';
import { type JobLogger, WAKE_CHANNEL } from './registry.js';

export type Unlisten = () => Promise<void>;

const RECONNECT_MS = 2_000;

/**
 * Call `onWake` whenever a committed transaction NOTIFYs the wake channel. PGlite delivers in-process; on
 * PostgreSQL one dedicated connection LISTENs and reconnects after a drop (the periodic poll covers the
 * gap, and a reconnect wakes the runner once to catch up). Without either, the runner only polls.
 */
export async function listenForWake(
  handle: Pick<DbHandle, 'url' | 'pglite'>,
  onWake: () => void,
  log: JobLogger,
): Promise<Unlisten> {
  if (handle.pglite) {
    const unsubscribe = await handle.pglite.listen(WAKE_CHANNEL, () => onWake());
    return unsubscribe;
  }
  const url = handle.url;
  if (!url) return async () => {};

  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  const reconnectLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch((err: unknown) => {
        log.warn({ err }, 'job wake-up listener could not reconnect; polling meanwhile');
        reconnectLater();
      });
    }, RECONNECT_MS);
    retry.unref();
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    const lost = () => {
      if (client !== c) return;
      client = null;
      c.end().catch(() => {});
      reconnectLater();
    };
    c.on('notification', () => onWake());
    c.on('error', (err) => {
      log.warn({ err }, 'job wake-up listener lost its connection');
      lost();
    });
    c.on('end', lost);
    await c.connect();
    await c.query(`LISTEN ${WAKE_CHANNEL}`);
    if (closed) {
      await c.end();
      return;
    }
    client = c;
    onWake();
  };

  try {
    await connect();
  } catch (err) {
    log.warn({ err }, 'job wake-up listener unavailable; polling only until it connects');
    reconnectLater();
  }

  return async () => {
    closed = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}
