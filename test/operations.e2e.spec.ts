import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '#roster/platform';
import { ScimClient, oktaUser, type ServiceName, type Stack } from '#roster/testkit';
import { startStack } from './support/stack.js';

describe('operating Roster: credentials, health and metrics', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('operations');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('rotates a SCIM token: the new one works at once, the old one stops within seconds', async () => {
    const tailnet = await stack.createTailnet('rotating');
    expect((await tailnet.scim.get('/Users')).status).toBe(200);

    const rotated = await stack.cli(['token', 'rotate', 'rotating', '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { token, tailnetId } = JSON.parse(rotated.stdout);
    expect(tailnetId).toBe(tailnet.tailnetId);
    expect(token).not.toBe(tailnet.token);
    expect((await new ScimClient(stack.scimUrl, token).get('/Users')).status).toBe(200);

    const deadline = Date.now() + 10_000;
    let oldStatus = 200;
    while (oldStatus === 200 && Date.now() < deadline) {
      oldStatus = (await tailnet.scim.get('/Users')).status;
      if (oldStatus === 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(oldStatus).toBe(401);
  });

  it('refuses a second tailnet with the same name, and an identity domain that is not a domain', async () => {
    await stack.createTailnet('unique-name');
    const again = await stack.cli(['tailnet', 'create', 'Unique-Name', '--json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    const badDomain = await stack.cli(['tailnet', 'create', 'other', '--domain', 'not a domain', '--json']);
    expect(badDomain.code).toBe(2);
    expect(badDomain.stderr).toContain('not a domain name');
  });

  it('reports health, readiness and Prometheus metrics on every service', async () => {
    const tailnet = await stack.createTailnet('observed');
    const created = await tailnet.scim.post('/Users', oktaUser('metered.user@example.com'));
    expect(created.headers.get('x-correlation-id')).toMatch(/\S+/);
    await tailnet.scim.get(`/Users/${created.body.id}`);
    await stack.waitUntil('directory-projector', 'readyz');

    for (const service of ['scim-gateway', 'directory-projector'] as const) {
      const base = stack.serviceUrl(service);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: { name: string }[] }).checks.map((check) => check.name)).toEqual(
        expect.arrayContaining(['postgres', 'kafka']),
      );
    }
    const gatewayMetrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
    expect(gatewayMetrics).toMatch(/roster_http_requests_total\{[^}]*route="\/scim\/v2\/Users"[^}]*status="201"[^}]*\} [1-9]/);
    expect(gatewayMetrics).toMatch(/roster_events_produced_total\{[^}]*\} [1-9]/);
    expect(gatewayMetrics).toMatch(/roster_outbox_backlog\{[^}]*\} 0/);
    const projectorMetrics = await (await fetch(`${stack.serviceUrl('directory-projector')}/metrics`)).text();
    expect(projectorMetrics).toMatch(/roster_projector_events_applied_total\{[^}]*projection="directory"[^}]*\} [1-9]/);
    expect(projectorMetrics).toMatch(/roster_projector_lag_events\{[^}]*projection="directory"/);
  });

  it('carries the caller’s correlation id onto the event it causes', async () => {
    const tailnet = await stack.createTailnet('correlated');
    const created = await tailnet.scim.request('POST', '/Users', oktaUser('traced.user@example.com'), {
      'x-correlation-id': 'entra-cycle-42',
    });
    expect(created.headers.get('x-correlation-id')).toBe('entra-cycle-42');
    const log = await stack.waitForLog((events) => events.some((event) => event.aggregateId === created.body.id));
    expect(log.find((event) => event.aggregateId === created.body.id)?.correlationId).toBe('entra-cycle-42');
  });

  it('writes a heap snapshot of a live gateway on SIGUSR2 and keeps serving', async () => {
    const diagnostics = mkdtempSync(join(tmpdir(), 'roster-heap-'));
    stack.setServiceEnv('scim-gateway', { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${diagnostics}` });
    try {
      await stack.stopService('scim-gateway');
      await stack.startService('scim-gateway');
      stack.services.get('scim-gateway')!.child.kill('SIGUSR2');
      const deadline = Date.now() + 60_000;
      let snapshot: string | undefined;
      while (!snapshot && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        snapshot = readdirSync(diagnostics).find((name) => name.endsWith('.heapsnapshot'));
      }
      expect(snapshot).toBeDefined();
      // The snapshot is written on the event loop, so the gateway answers again only once it is complete.
      expect((await fetch(`${stack.serviceUrl('scim-gateway')}/healthz`)).status).toBe(200);
      expect(statSync(join(diagnostics, snapshot!)).size).toBeGreaterThan(1_000_000);
      const tailnet = await stack.createTailnet('after-snapshot');
      expect((await tailnet.scim.post('/Users', oktaUser('after.snapshot@example.com'))).status).toBe(201);
    } finally {
      stack.setServiceEnv('scim-gateway', {});
      rmSync(diagnostics, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  });
  it('runs the projectors that trail the log at a lower CPU priority than the gateway, unless CPU_NICENESS says otherwise', async () => {
    // Children inherit the test runner's niceness; a service only ever lowers its priority from there.
    const inherited = getPriority();
    // Linux keeps a niceness per thread; every thread of a service (its GC's and compilers' too) must have it.
    const niceness = (service: ServiceName) => {
      const pid = stack.services.get(service)!.child.pid!;
      const each = new Set(readdirSync(`/proc/${pid}/task`).map((thread) => getPriority(Number(thread))));
      return each.size === 1 ? [...each][0] : [...each];
    };
    try {
      await stack.startService('membership-projector');
      expect(niceness('scim-gateway')).toBe(inherited);
      expect(niceness('directory-projector')).toBe(inherited);
      expect(niceness('membership-projector')).toBe(Math.max(inherited, 10));

      await stack.stopService('membership-projector');
      stack.setServiceEnv('membership-projector', { CPU_NICENESS: '0' });
      await stack.startService('membership-projector');
      expect(niceness('membership-projector')).toBe(inherited);
    } finally {
      await stack.stopService('membership-projector');
      stack.setServiceEnv('membership-projector', {});
    }
  });
  it('runs every service with the V8 flags that size its young generation', () => {
    for (const [name, { child }] of stack.services) {
      if (!stack.isRunning(name)) continue;
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(1, 1 + SERVICE_NODE_FLAGS.length), name).toEqual(SERVICE_NODE_FLAGS);
    }
  });
  it('serves requests with a pool of two connections: the sessions it holds for good come on top', async () => {
    stack.setServiceEnv('scim-gateway', { DATABASE_POOL_SIZE: '2' });
    try {
      await stack.stopService('scim-gateway');
      await stack.startService('scim-gateway');
      const tailnet = await stack.createTailnet('small-pool');
      const answered = async () => {
        const created = await tailnet.scim.post('/Users', oktaUser('small.pool@example.com'));
        // A read waits on the read-your-writes listener's session; a write on the relay's.
        return [created.status, (await tailnet.scim.get(`/Users/${created.body.id}`)).status];
      };
      const timedOut = new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 10 s'), 10_000));
      expect(await Promise.race([answered(), timedOut])).toEqual([201, 200]);
    } finally {
      stack.setServiceEnv('scim-gateway', {});
      await stack.stopService('scim-gateway');
      await stack.startService('scim-gateway');
    }
  });
});
