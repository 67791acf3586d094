#!/usr/bin/env node
import 'reflect-metadata';
import { Command, Option } from 'commander';
import { migrations } from '#roster/migrations';
import { createLogger, loadConfig, migrate } from '#roster/platform';
import { InvalidTailnetError, TailnetExistsError, TailnetNotFoundError, TailnetService, type ApiTokenKind } from '#roster/tailnets';
import type { Actor } from '#roster/events';
import { GroupNotFoundAtTimeError } from './history/group-history.js';
import { registerHistoryCommand } from './history/history.command.js';
import { registerMembershipCommand } from './membership/membership.command.js';
import { registerProjectionCommand } from './projection/projection.command.js';
import { MembershipExportError } from './membership/membership-export.js';
import { ReplayBusyError, ReplayRefusedError } from './replay/replay-projection.js';
import { registerReplayCommand } from './replay/replay.command.js';
import { CliUsageError } from './shared/cli-usage-error.js';

const operator: Actor = { kind: 'operator', id: process.env.USER ?? 'roster-cli' };

async function withTailnets<T>(work: (service: TailnetService, scimUrl: string) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, 8080);
  const dataSource = await migrate(config.databaseUrl, migrations);
  try {
    return await work(new TailnetService(dataSource), config.scimBaseUrl);
  } finally {
    await dataSource.destroy();
  }
}

function print(json: boolean, value: Record<string, unknown>, lines: string[]) {
  console.log(json ? JSON.stringify(value, null, 2) : lines.join('\n'));
}

const program = new Command('roster').description('Operate Roster: tailnets, credentials, the database schema, projection replays and the log');

const tailnet = program.command('tailnet').description('manage tailnets');
tailnet
  .command('create <name>')
  .description('create a tailnet, its SCIM token and its admin API key (shown once)')
  .option('--domain <domain>', "the tailnet's identity domain, e.g. example.com (synced groups are group:<name>@<domain>)")
  .option('--json', 'print JSON')
  .action(async (name: string, options: { domain?: string; json?: boolean }) => {
    const created = await withTailnets(async (service, scimUrl) => ({
      ...(await service.create(name, options.domain, operator)),
      scimUrl,
    }));
    print(!!options.json, created, [
      `Tailnet ${created.name} (${created.tailnetId}) created.`,
      `SCIM base URL: ${created.scimUrl}`,
      `SCIM token:    ${created.token}`,
      `Admin API key: ${created.adminApiKey}`,
      'Both are shown only this once: store the SCIM token in your identity provider now.',
    ]);
  });

const token = program.command('token').description('manage credentials');
token
  .command('rotate <tailnet>')
  .description('issue a new SCIM token (or admin API key) for a tailnet (by name or id) and revoke the old one')
  .addOption(new Option('--kind <kind>', 'which credential').choices(['scim', 'admin']).default('scim'))
  .option('--json', 'print JSON')
  .action(async (tailnetRef: string, options: { kind: ApiTokenKind; json?: boolean }) => {
    const rotated = await withTailnets(async (service, scimUrl) => ({
      ...(await service.rotateToken(tailnetRef, options.kind)),
      scimUrl,
    }));
    print(!!options.json, rotated, [
      `New ${options.kind === 'scim' ? 'SCIM token' : 'admin API key'} for ${rotated.tailnetId}: ${rotated.token}`,
      'The previous token stops working within seconds.',
    ]);
  });

program
  .command('migrate')
  .description('create the database if needed and apply pending migrations')
  .action(async () => {
    const config = loadConfig(process.env, 8080);
    await (await migrate(config.databaseUrl, migrations)).destroy();
    createLogger('roster-cli', config.logLevel).info('migrations applied');
  });

registerReplayCommand(program);
registerHistoryCommand(program);
registerMembershipCommand(program);
registerProjectionCommand(program, operator);

program.parseAsync(process.argv).catch((error: unknown) => {
  const known = [TailnetExistsError, TailnetNotFoundError, InvalidTailnetError, CliUsageError, ReplayRefusedError, GroupNotFoundAtTimeError].some((kind) => error instanceof kind);
  console.error(`roster: ${error instanceof Error ? error.message : String(error)}`);
  // 3: something else is in the way (another replay, a stopped publisher); trying again later may work.
  process.exit(error instanceof ReplayBusyError || error instanceof MembershipExportError ? 3 : known ? 2 : 1);
});
