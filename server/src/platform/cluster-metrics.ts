import cluster, { type Worker } from 'node:cluster';
import client from 'prom-client';

/** /metrics of a `WORKERS=N` server (cluster.ts): the primary sums what its workers count. */

const METRICS_REQUEST = 'tongban:cluster-metrics';
const METRICS_ANSWER = 'tongban:cluster-metrics-answer';

type MetricsRequest = { type: typeof METRICS_REQUEST; id: number };
type MetricsAnswer = { type: typeof METRICS_ANSWER; id: number; body?: string; error?: string };

/**
 * In a worker: `/metrics` answers with every worker's figures summed by the primary (counters and
 * histograms add up; each gauge says how it combines), so a scrape that lands on any worker sees the whole
 * server. Outside a cluster: null, and /metrics reads the process's own registry.
 */
export function clusterMetrics(registry: client.Registry): (() => Promise<string>) | null {
  if (!cluster.isWorker || !process.send) return null;
  client.AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's answer to the primary's "send me your metrics".
  new client.AggregatorRegistry();
  let next = 0;
  type Waiting = { resolve: (body: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout };
  const pending = new Map<number, Waiting>();
  process.on('message', (message: MetricsAnswer) => {
    const waiting = message?.type === METRICS_ANSWER ? pending.get(message.id) : undefined;
    if (!waiting) return;
    pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.body !== undefined) waiting.resolve(message.body);
    else waiting.reject(new Error(message.error ?? 'no metrics from the primary'));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not answer for the metrics within 10 s'));
      }, 10_000);
      pending.set(id, { resolve, reject, timer });
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}

/** In the primary: answer a worker's request for the summed metrics of all workers. */
export function answerClusterMetrics(): void {
  const aggregator = new client.AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: MetricsRequest) => {
    if (message?.type !== METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (body) => worker.send({ type: METRICS_ANSWER, id: message.id, body } satisfies MetricsAnswer),
      (err: unknown) =>
        worker.send({ type: METRICS_ANSWER, id: message.id, error: String(err) } satisfies MetricsAnswer),
    );
  });
}
