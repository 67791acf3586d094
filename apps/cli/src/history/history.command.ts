import type { Command } from 'commander';
import { CliUsageError } from '../shared/cli-usage-error.js';
import { findTailnet } from '../shared/find-tailnet.js';
import { withLogContext } from '../shared/log-context.js';
import { readTailnetLog } from '../shared/read-tailnet-log.js';
import { groupAtTime } from './group-history.js';

function parseTime(value: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) throw new CliUsageError(`--at expects an ISO 8601 time, got "${value}"`);
  return time;
}

/** `roster history group <name> --tailnet <t> [--at <time>]`: answered from the log alone. */
export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description('answer questions about the past from the log')
    .command('group <name>')
    .description('who was in a group at a time, and the event that put each member there')
    .requiredOption('--tailnet <tailnet>', 'tailnet name or id')
    .option('--at <time>', 'ISO 8601 time (default: now)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { tailnet: string; at?: string; json?: boolean }) => {
      const at = options.at ? parseTime(options.at) : new Date();
      const tailnet = await findTailnet(options.tailnet);
      const events = await withLogContext(({ kafka, topics }) => readTailnetLog(kafka, topics.tailnetEvents, tailnet.id));
      const group = groupAtTime(events, name, at);
      if (options.json) {
        console.log(JSON.stringify({ tailnetId: tailnet.id, ...group }, null, 2));
        return;
      }
      console.log(`${group.displayName} (${group.groupId}) in ${tailnet.name} at ${group.at}: ${group.members.length} members`);
      for (const member of group.members) {
        const { addedBy } = member;
        console.log(
          `  ${member.userName}${member.active ? '' : ' (suspended)'}  since ${member.since}  by ${addedBy.actor.kind}:${addedBy.actor.id}` +
            `${addedBy.actor.idp ? ` (${addedBy.actor.idp})` : ''}  event ${addedBy.id} at position ${addedBy.position}`,
        );
      }
    });
}
