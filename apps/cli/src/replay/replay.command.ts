import { Command, InvalidArgumentError } from 'commander';
import { withLogContext } from '../shared/log-context.js';
import { findProjection, PROJECTIONS, type CatalogueEntry } from './projection-catalogue.js';
import { DEFAULT_REPLAY_WORKERS, dropOldCopy, replayProjection, type ReplayResult } from './replay-projection.js';
import { InvalidReplayOptionError, parseUntil } from './replay-until.js';

type ReplayFlags = { dryRun?: boolean; until?: string; maxRate?: number; workers?: number; json?: boolean };

function projectionsNamed(name: string): CatalogueEntry[] {
  if (name === 'all') return PROJECTIONS;
  const entry = findProjection(name);
  if (!entry) throw new InvalidReplayOptionError(`unknown projection "${name}" (known: ${PROJECTIONS.map((p) => p.name).join(', ')}, all)`);
  return [entry];
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

function summary(result: ReplayResult): string[] {
  const lines = [
    `${result.projection}: ${result.events} events in ${result.seconds.toFixed(1)} s (${result.eventsPerSecond} events/s)` +
      (result.resumedFromEvents > 0 ? `, resumed after ${result.resumedFromEvents} already applied` : ''),
  ];
  if (result.mode === 'swapped') lines.push(`  now live in ${result.schema}; previous copy kept in ${result.oldSchema ?? '(none)'} until: roster replay drop-old ${result.projection}`);
  if (result.mode === 'dry-run') lines.push(`  dry run: rebuilt copy in ${result.schema}, nothing swapped; against the live copy:`);
  if (result.mode === 'until') lines.push(`  state as of the requested point in ${result.schema} (log offsets ${JSON.stringify(result.offsets)})`);
  for (const table of result.tables) {
    lines.push(
      'added' in table
        ? `    ${table.table.padEnd(16)} ${String(table.rows).padStart(8)} rows  +${table.added} ~${table.changed} -${table.removed}`
        : `    ${table.table.padEnd(16)} ${String(table.rows).padStart(8)} rows`,
    );
  }
  return lines;
}

/** `roster replay <projection|all>` and `roster replay drop-old <projection|all>`. */
export function registerReplayCommand(program: Command): void {
  const replay = program
    .command('replay')
    .description('rebuild a projection from the log beside the live one, then swap it in (SRE tool)')
    .argument('<projection>', `${PROJECTIONS.map((p) => p.name).join(', ')} or all`)
    .option('--dry-run', 'rebuild and report rows added/changed/removed against the live copy, without swapping')
    .option('--until <time|offsets>', 'rebuild the state as of an ISO time or partition:offset list into a separate schema')
    .option('--max-rate <events/s>', 'apply at most this many events per second (spare the database)', positiveInteger)
    .option('--workers <n>', `worker threads decoding the log (default ${DEFAULT_REPLAY_WORKERS}; 1 = none)`, positiveInteger)
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ReplayFlags) => {
      const entries = projectionsNamed(name);
      const until = flags.until ? parseUntil(flags.until) : undefined;
      const results = await withLogContext(async (context) => {
        const done: ReplayResult[] = [];
        for (const entry of entries) {
          done.push(await replayProjection({ ...context, topic: context.topics.tailnetEvents }, entry, { dryRun: flags.dryRun, until, maxRate: flags.maxRate, workers: flags.workers }));
          if (!flags.json) console.log(summary(done[done.length - 1]).join('\n'));
        }
        return done;
      });
      if (flags.json) console.log(JSON.stringify(results, null, 2));
    });
  replay
    .command('drop-old')
    .description('drop the copy a replay replaced')
    .argument('<projection>', `${PROJECTIONS.map((p) => p.name).join(', ')} or all`)
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }) => {
      // `--json` after `drop-old` is parsed as the parent command's option (commander's default).
      const json = flags.json || replay.opts<{ json?: boolean }>().json;
      const entries = projectionsNamed(name);
      const dropped = await withLogContext(async ({ pool }) => {
        const results = [];
        for (const entry of entries) results.push({ projection: entry.name, ...(await dropOldCopy(pool, entry)) });
        return results;
      });
      console.log(json ? JSON.stringify(dropped, null, 2) : dropped.map((d) => `${d.projection}: ${d.dropped ? `dropped ${d.dropped}` : 'no old copy'}`).join('\n'));
    });
}
