import { Pool, type Dispatcher } from 'undici';
import hdr from 'hdr-histogram-js';

export type LoadResult = { count: number; errors: number; seconds: number; perSecond: number; p50Ms: number; p99Ms: number; maxMs: number };

export type BenchRequest = { method: string; path: string; body?: unknown; headers?: Record<string, string> };

/**
 * Keep-alive connections to one base URL. The load generator shares the machine with what it measures, so it
 * uses undici, which spends about half the CPU per request of node:http's client.
 */
export class LoadClient {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(baseUrl: string, connections: number) {
    const url = new URL(baseUrl);
    this.pool = new Pool(url.origin, { connections });
    this.basePath = url.pathname.replace(/\/$/, '');
  }

  /** Status and body of one request; a failed connection counts as status 0. */
  async send(spec: BenchRequest): Promise<{ status: number; body: string }> {
    try {
      const response = await this.pool.request({
        method: spec.method as Dispatcher.HttpMethod,
        path: `${this.basePath}${spec.path}`,
        headers: { ...(spec.body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...spec.headers },
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      });
      return { status: response.statusCode, body: await response.body.text() };
    } catch {
      return { status: 0, body: '' };
    }
  }

  /**
   * Opens `connections` connections, one request each, untimed: an IdP keeps its connections alive, so the figures
   * should not include the first request on a new connection.
   */
  async connect(connections: number, spec: BenchRequest): Promise<void> {
    await Promise.all(Array.from({ length: connections }, () => this.send(spec)));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Where a run sends its requests: new connections to a base URL, or a client whose connections are already open. */
export type LoadTarget = { baseUrl: string } | { client: LoadClient };

/**
 * Sends `total` requests with `concurrency` in flight over keep-alive connections and records each latency in an
 * HDR histogram (microsecond resolution). `check` decides what counts as success.
 */
export async function runLoad(
  options: LoadTarget & {
    concurrency: number;
    total: number;
    request: (index: number) => BenchRequest;
    check: (status: number, body: string) => boolean;
  },
): Promise<LoadResult> {
  const client = 'client' in options ? options.client : new LoadClient(options.baseUrl, options.concurrency);
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let next = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < options.total) {
      const spec = options.request(next++);
      const t0 = process.hrtime.bigint();
      const { status, body } = await client.send(spec);
      histogram.recordValue(Number((process.hrtime.bigint() - t0) / 1000n));
      if (!options.check(status, body)) errors++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!('client' in options)) await client.close();
  return {
    count: options.total,
    errors,
    seconds,
    perSecond: options.total / seconds,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    maxMs: histogram.maxValue / 1000,
  };
}
