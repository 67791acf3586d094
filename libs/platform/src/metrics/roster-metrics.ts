import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Buckets (seconds) for things that should take milliseconds. */
const SHORT_DURATIONS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Every metric a Roster service exposes on /metrics, registered once per process. */
export class RosterMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'roster_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'HTTP request latency, by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly eventsProduced = new Counter({
    name: 'roster_events_produced_total',
    help: 'Events the outbox relay delivered to the Kafka log',
    registers: [this.registry],
  });

  readonly relayBatchDuration = new Histogram({
    name: 'roster_outbox_relay_batch_seconds',
    help: 'Time to deliver one outbox batch to Kafka',
    buckets: SHORT_DURATIONS,
    registers: [this.registry],
  });

  readonly relayFailures = new Counter({
    name: 'roster_outbox_relay_failures_total',
    help: 'Outbox relay batches that failed and were retried',
    registers: [this.registry],
  });

  readonly projectorApplied = new Counter({
    name: 'roster_projector_events_applied_total',
    help: 'Events applied to a read model',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectorBatchDuration = new Histogram({
    name: 'roster_projector_batch_seconds',
    help: 'Time to apply one batch to a read model, checkpoint included',
    labelNames: ['projection'] as const,
    buckets: SHORT_DURATIONS,
    registers: [this.registry],
  });

  readonly projectorLag = new Gauge({
    name: 'roster_projector_lag_events',
    help: 'Events on the log not yet applied to a read model, by partition',
    labelNames: ['projection', 'partition'] as const,
    registers: [this.registry],
  });

  readonly projectorStalled = new Gauge({
    name: 'roster_projector_stalled',
    help: '1 while a read model cannot apply the next event of a partition (its /readyz names the event), else 0',
    labelNames: ['projection', 'partition'] as const,
    registers: [this.registry],
  });

  /**
   * Every garbage collection's pause. prom-client's own `nodejs_gc_duration_seconds` records only the first of the
   * entries its observer is handed at a time, and V8 hands over several when collections follow each other within
   * one stretch of synchronous work: over a provisioning cycle it counted 40 of the membership projector's 51.
   */
  readonly gcPauses = new Histogram({
    name: 'roster_gc_pause_seconds',
    help: 'Garbage collection pauses, every one, by kind (minor, major, incremental, weakcb)',
    labelNames: ['kind'] as const,
    buckets: SHORT_DURATIONS,
    registers: [this.registry],
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
        const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
        this.gcPauses.observe({ kind }, entry.duration / 1000);
      }
    }).observe({ entryTypes: ['gc'] });
  }

  /** The outbox backlog is read from PostgreSQL when scraped, so it is right even on a replica that is not relaying. */
  trackOutboxBacklog(count: () => Promise<number>): void {
    new Gauge({
      name: 'roster_outbox_backlog',
      help: 'Committed events not yet on the Kafka log',
      registers: [this.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  relayMetrics() {
    return {
      published: (count: number, seconds: number) => {
        this.eventsProduced.inc(count);
        this.relayBatchDuration.observe(seconds);
      },
      failed: () => this.relayFailures.inc(),
    };
  }

  projectorMetrics() {
    return {
      applied: (projection: string, count: number, seconds: number) => {
        this.projectorApplied.inc({ projection }, count);
        this.projectorBatchDuration.observe({ projection }, seconds);
      },
      lag: (projection: string, partition: number, lag: number) => {
        this.projectorLag.set({ projection, partition: String(partition) }, lag);
      },
      stalled: (projection: string, partition: number, stalled: boolean) => {
        this.projectorStalled.set({ projection, partition: String(partition) }, stalled ? 1 : 0);
      },
    };
  }
}
