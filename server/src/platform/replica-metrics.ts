import client from 'prom-client';
import type { Db } from '../db/client.js';
import { replicaLag } from '../db/read.js';

/**
 * The read replica's state in /metrics, read at each scrape: `tongban_replica_up` (1 when it answers as a
 * standby), `tongban_replica_lag_seconds` (since its last replayed commit; 0 when caught up) and
 * `tongban_replica_lag_bytes` (WAL the primary wrote that it has not replayed).
 */
export function registerReplicaMetrics(registry: client.Registry, primary: Db, replica: Db): void {
  let last: Promise<Awaited<ReturnType<typeof replicaLag>>> | null = null;
  // One query pair per scrape, shared by the three gauges.
  const lag = () => {
    last ??= replicaLag(primary, replica).finally(() => {
      setTimeout(() => {
        last = null;
      }, 100).unref();
    });
    return last;
  };
  new client.Gauge({
    name: 'tongban_replica_up',
    help: 'The read replica answers as a standby (1) or not (0)',
    registers: [registry],
    aggregator: 'min',
    async collect() {
      this.set((await lag()).up ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'tongban_replica_lag_seconds',
    help: 'Seconds since the read replica replayed its last commit (0 when it has replayed all it received)',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      this.set((await lag()).seconds);
    },
  });
  new client.Gauge({
    name: 'tongban_replica_lag_bytes',
    help: 'WAL bytes the primary has written that the read replica has not replayed',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      this.set((await lag()).bytes);
    },
  });
}
