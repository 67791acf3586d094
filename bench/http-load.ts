import http from 'node:http';
import hdr from 'hdr-histogram-js';

export type LoadResult = { count: number; errors: number; seconds: number; perSecond: number; p50Ms: number; p99Ms: number; maxMs: number };

export type BenchRequest = { method: string; path: string; body?: unknown; headers?: Record<string, string> };

/**
 * Sends `total` requests with `concurrency` in flight over keep-alive connections and records each latency in an
 * HDR histogram (microsecond resolution). `check` decides what counts as success.
 */
export async function runLoad(options: {
  baseUrl: string;
  concurrency: number;
  total: number;
  request: (index: number) => BenchRequest;
  check: (status: number, body: string) => boolean;
}): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let next = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < options.total) {
      const index = next++;
      const spec = options.request(index);
      const t0 = process.hrtime.bigint();
      const { status, body } = await send(agent, url, spec).catch(() => ({ status: 0, body: '' }));
      histogram.recordValue(Number((process.hrtime.bigint() - t0) / 1000n));
      if (!options.check(status, body)) errors++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
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

export function send(agent: http.Agent, base: URL, spec: BenchRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: spec.method,
        path: `${base.pathname.replace(/\/$/, '')}${spec.path}`,
        headers: {
          ...(payload ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...spec.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    if (payload) request.write(payload);
    request.end();
  });
}
