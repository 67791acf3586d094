import hdr from 'hdr-histogram-js';
import { oktaUser, type Stack } from '#roster/testkit';
import { LoadClient, runLoad, type LoadResult } from './http-load.js';

export type FoundationFigures = {
  createC1: LoadResult;
  createC32: LoadResult;
  visibleP50Ms: number;
  visibleP99Ms: number;
  visibleSamples: number;
};

/**
 * Issue 2's figures: SCIM `POST /Users` throughput and latency at concurrency 1 and 32, and the time from a 201 to
 * the user being visible through a `userName eq` filter, with the gateway, relay and projector all running here.
 */
export async function runFoundationBench(stack: Stack): Promise<FoundationFigures> {
  const tailnet = await stack.createTailnet('bench-foundation');
  const auth = { authorization: `Bearer ${tailnet.token}` };
  const scimUrl = stack.scimUrl;
  const created = (status: number) => status === 201;
  let serial = 0;
  const createRequest = (prefix: string) => () => ({
    method: 'POST',
    path: '/Users',
    body: oktaUser(`${prefix}.${serial++}@example.com`),
    headers: auth,
  });

  await runLoad({ baseUrl: scimUrl, concurrency: 8, total: 300, request: createRequest('warmup'), check: created });
  const createC1 = await runLoad({ baseUrl: scimUrl, concurrency: 1, total: 1_000, request: createRequest('c1'), check: created });
  const createC32 = await runLoad({ baseUrl: scimUrl, concurrency: 32, total: 8_000, request: createRequest('c32'), check: created });

  const client = new LoadClient(scimUrl, 2);
  const visible = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const samples = 500;
  for (let i = 0; i < samples; i++) {
    const userName = `visible.${i}@example.com`;
    const response = await client.send({ method: 'POST', path: '/Users', body: oktaUser(userName), headers: auth });
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.body}`);
    const acknowledged = process.hrtime.bigint();
    for (;;) {
      const found = await client.send({
        method: 'GET',
        path: `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
        headers: auth,
      });
      if (found.status === 200 && JSON.parse(found.body).totalResults === 1) break;
    }
    visible.recordValue(Number((process.hrtime.bigint() - acknowledged) / 1000n));
  }
  await client.close();
  return {
    createC1,
    createC32,
    visibleP50Ms: visible.getValueAtPercentile(50) / 1000,
    visibleP99Ms: visible.getValueAtPercentile(99) / 1000,
    visibleSamples: samples,
  };
}
