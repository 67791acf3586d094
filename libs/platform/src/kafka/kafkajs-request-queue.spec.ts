import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// kafkajs 2.2.4 re-armed a 1 ms timer for ever on every broker connection once it had answered one request, even
// with nothing queued: each idle service woke about 1,000 times a second. patches/kafkajs+2.2.4.patch (applied
// by `npm install`) stops that; these tests fail if the patch is missing and prove throttling still works.
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function newQueue() {
  return new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'spec:9092', logger: silent });
}

function request(correlationId: number, sendRequest: () => void, expectResponse = true) {
  return { entry: { correlationId, apiName: 'Produce', apiKey: 0, apiVersion: 7, resolve() {}, reject() {} }, expectResponse, sendRequest };
}

describe('kafkajs request queue (patched)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('leaves no timer behind once an answered request leaves nothing queued', () => {
    const queue = newQueue();
    queue.push(request(1, () => {}));
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still sends a request queued while the broker throttles, once the throttle ends', () => {
    const queue = newQueue();
    const sendRequest = vi.fn();
    queue.maybeThrottle(50);
    queue.push(request(1, sendRequest, false));
    expect(sendRequest).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60);
    expect(sendRequest).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });
});
