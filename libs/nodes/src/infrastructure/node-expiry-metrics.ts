import type pg from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { NODE_ACCESS_STATES } from '../domain/node-access.js';

/** The node-key expiry projector's own metrics: nodes by access state, the next expiry, sweeps. */
export class NodeExpiryMetrics {
  readonly sweepDuration: Histogram;
  readonly keysExpired: Counter;

  constructor(registry: Registry, pool: pg.Pool) {
    this.sweepDuration = new Histogram({
      name: 'roster_node_expiry_sweep_seconds',
      help: 'Duration of node-key expiry sweeps (finding due keys and recording NodeKeyExpired)',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    });
    this.keysExpired = new Counter({
      name: 'roster_node_keys_expired_total',
      help: 'NodeKeyExpired events recorded by this process',
      registers: [registry],
    });
    new Gauge({
      name: 'roster_nodes',
      help: 'Nodes by effective access state, across tailnets',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const { rows } = await pool.query<{ access_state: string; n: string }>('SELECT access_state, count(*) AS n FROM nodes.nodes GROUP BY 1');
        const counts = new Map(rows.map((row) => [row.access_state, Number(row.n)]));
        for (const state of NODE_ACCESS_STATES) this.set({ state }, counts.get(state) ?? 0);
      },
    });
    new Gauge({
      name: 'roster_node_next_key_expiry_timestamp_seconds',
      help: 'When the next node key is due to expire (Unix time); 0 when none is',
      registers: [registry],
      async collect() {
        const { rows } = await pool.query<{ next: Date | null }>(
          'SELECT min(key_expiry) AS next FROM nodes.nodes WHERE NOT key_expiry_disabled AND NOT key_expired',
        );
        this.set(rows[0].next ? rows[0].next.getTime() / 1000 : 0);
      },
    });
  }
}
