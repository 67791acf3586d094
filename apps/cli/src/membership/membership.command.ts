import type { Command } from 'commander';
import { findTailnet } from '../shared/find-tailnet.js';
import { withLogContext } from '../shared/log-context.js';
import { exportMembership } from './membership-export.js';

/** `roster membership export --tailnet <t>`: where a new subscriber of the membership feed starts. */
export function registerMembershipCommand(program: Command): void {
  program
    .command('membership')
    .description('the public membership feed')
    .command('export')
    .description("snapshot a tailnet's group membership with the feed offsets it corresponds to")
    .requiredOption('--tailnet <tailnet>', 'tailnet name or id')
    .option('--json', 'print JSON')
    .action(async (options: { tailnet: string; json?: boolean }) => {
      const tailnet = await findTailnet(options.tailnet);
      const snapshot = await withLogContext(({ pool, kafka, topics }) => exportMembership(pool, kafka, topics.membership, tailnet.id));
      if (options.json) {
        console.log(JSON.stringify(snapshot, null, 2));
        return;
      }
      console.log(`${tailnet.name}: ${snapshot.groups.length} groups; continue from ${snapshot.position.topic} offsets ${JSON.stringify(snapshot.position.offsets)}`);
      for (const group of snapshot.groups) {
        console.log(`  ${group.name} (${group.groupId}) sequence ${group.sequence}: ${group.members.map((m) => m.userName).join(', ') || '(no members)'}`);
      }
    });
}
