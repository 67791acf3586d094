import { Command, InvalidArgumentError } from 'commander';
import type { Actor } from '#roster/events';
import { findProjection, PROJECTIONS, type CatalogueEntry } from '../replay/projection-catalogue.js';
import { CliUsageError } from '../shared/cli-usage-error.js';
import { withLogContext } from '../shared/log-context.js';
import { listSkippedEvents } from './skipped-events.js';
import { skipEvent } from './skip-event.js';

function projectionNamed(name: string): CatalogueEntry {
  const entry = findProjection(name);
  if (!entry) throw new CliUsageError(`unknown projection "${name}" (known: ${PROJECTIONS.map((p) => p.name).join(', ')})`);
  return entry;
}

function nonNegativeInteger(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return BigInt(value);
}

/** `roster projection skip` and `roster projection skipped`: getting a projection past an event it cannot apply. */
export function registerProjectionCommand(program: Command, operator: Actor): void {
  const projection = program.command('projection').description("a projection's passage over the log (SRE tool)");
  projection
    .command('skip')
    .description('pass over the event a projection is stalled on (its /readyz names it), recording the event as it is on the log')
    .argument('<projection>', PROJECTIONS.map((p) => p.name).join(', '))
    .requiredOption('--partition <n>', 'the partition of the event', (value) => Number(nonNegativeInteger(value)))
    .requiredOption('--offset <n>', 'the offset of the event', nonNegativeInteger)
    .requiredOption('--reason <text>', 'why it is skipped: kept with the event, for whoever repairs what it should have done')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { partition: number; offset: bigint; reason: string; json?: boolean }) => {
      const entry = projectionNamed(name);
      if (flags.reason.trim() === '') throw new CliUsageError('--reason must say why the event is skipped');
      const skipped = await withLogContext((context) =>
        skipEvent(context, entry, { partition: flags.partition, offset: flags.offset, reason: flags.reason, operator: operator.id }),
      );
      if (flags.json) return console.log(JSON.stringify(skipped, null, 2));
      console.log(
        [
          `${skipped.projection} will pass over ${skipped.eventType ?? 'the message'} ${skipped.eventId ?? ''} (tailnet ${skipped.tailnetId ?? 'unknown'}) ` +
            `at partition ${skipped.partition}, offset ${skipped.offset}, within seconds; replays will pass over it too.`,
          `It fails with: ${skipped.failure}`,
          `Released ${skipped.releasedReadFences} waiting read${skipped.releasedReadFences === 1 ? '' : 's'}. ` +
            'The event is kept in projector.skipped_events (roster projection skipped lists them): what it should have done is not done.',
        ].join('\n'),
      );
    });
  projection
    .command('skipped')
    .description('list the events projections were told to pass over')
    .argument('[projection]', PROJECTIONS.map((p) => p.name).join(', '))
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, flags: { json?: boolean }) => {
      const entry = name === undefined ? undefined : projectionNamed(name);
      const skipped = await withLogContext(({ pool }) => listSkippedEvents(pool, entry?.name));
      if (flags.json) return console.log(JSON.stringify(skipped, null, 2));
      if (skipped.length === 0) return console.log('No event has been skipped.');
      for (const event of skipped) {
        console.log(
          `${event.skippedAt}  ${event.projection}  partition ${event.partition}, offset ${event.offset}  ${event.eventType ?? '?'} ${event.eventId ?? ''}  ` +
            `tailnet ${event.tailnetId ?? '?'}  by ${event.operator}: ${event.reason}`,
        );
      }
    });
}
