import { migrations } from '#roster/migrations';
import { loadConfig, migrate } from '#roster/platform';
import { TailnetService } from '#roster/tailnets';

/** The tailnet a `--tailnet <name|id>` names; TailnetNotFoundError (exit 2) when there is none. */
export async function findTailnet(ref: string): Promise<{ id: string; name: string }> {
  const dataSource = await migrate(loadConfig(process.env, 8080).databaseUrl, migrations);
  try {
    const tailnet = await new TailnetService(dataSource).find(ref);
    return { id: tailnet.id, name: tailnet.name };
  } finally {
    await dataSource.destroy();
  }
}
