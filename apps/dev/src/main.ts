import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findRepoRoot, SERVICE_NODE_FLAGS } from '#roster/platform';

/**
 * `npm run dev`: local infrastructure, every service, and a demo tailnet, in one command. Service logs go to
 * .roster/logs/; Ctrl-C stops the services (Kafka keeps running until `npm run infra:down`).
 */
const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const logDir = join(root, '.roster', 'logs');

type Service = { name: string; entry: string; port: number };

const services: Service[] = [
  { name: 'scim-gateway', entry: 'dist/apps/scim-gateway/src/main.js', port: Number(process.env.GATEWAY_PORT ?? 8080) },
  { name: 'directory-projector', entry: 'dist/apps/directory-projector/src/main.js', port: Number(process.env.PROJECTOR_PORT ?? 8081) },
  { name: 'node-expiry-projector', entry: 'dist/apps/node-expiry-projector/src/main.js', port: Number(process.env.NODE_PROJECTOR_PORT ?? 8082) },
  { name: 'acl-projector', entry: 'dist/apps/acl-projector/src/main.js', port: Number(process.env.ACL_PROJECTOR_PORT ?? 8083) },
  { name: 'membership-projector', entry: 'dist/apps/membership-projector/src/main.js', port: Number(process.env.MEMBERSHIP_PROJECTOR_PORT ?? 8084) },
];

function start(service: Service, env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(join(logDir, `${service.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, service.entry)], {
    cwd: root,
    env: { ...env, PORT: String(service.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`[dev] ${service.name} exited (${signal ?? code}); see ${join(logDir, `${service.name}.log`)}`);
  });
  return child;
}

async function waitReady(service: Service, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${service.name} exited during start-up; see ${join(logDir, `${service.name}.log`)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${service.name} not ready after ${timeoutMs / 1000}s; see ${join(logDir, `${service.name}.log`)}`);
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

type DemoTailnet = { tailnetId: string; scimUrl: string; token: string; adminApiKey: string };

/** The demo tailnet is created once; on later runs its credentials are rotated, since they are only ever shown once. */
async function demoTailnet(env: NodeJS.ProcessEnv): Promise<DemoTailnet> {
  const created = await runCli(['tailnet', 'create', 'demo', '--domain', 'example.com', '--json'], env);
  if (created.code === 0) return JSON.parse(created.stdout);
  if (!created.stderr.includes('already exists')) throw new Error(created.stderr);
  const rotate = async (kind: 'scim' | 'admin') => {
    const rotated = await runCli(['token', 'rotate', 'demo', '--kind', kind, '--json'], env);
    if (rotated.code !== 0) throw new Error(rotated.stderr);
    return JSON.parse(rotated.stdout) as { tailnetId: string; scimUrl: string; token: string };
  };
  const scim = await rotate('scim');
  return { ...scim, adminApiKey: (await rotate('admin')).token };
}

let stopping = false;

async function main() {
  mkdirSync(logDir, { recursive: true });
  const infra = await import(pathToFileURL(join(root, 'deploy/local/infra.mjs')).href);
  const { brokers, databaseUrl } = await infra.ensureInfra();
  const gateway = services[0];
  const env = {
    ...process.env,
    KAFKA_BROKERS: brokers,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${gateway.port}`,
  };
  const children = services.map((service) => ({ service, child: start(service, env) }));
  const stop = () => {
    stopping = true;
    for (const { child } of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(0), 3_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (const { service, child } of children) await waitReady(service, child);
  const demo = await demoTailnet(env);
  console.log(`
Roster is running.
  SCIM base URL   ${demo.scimUrl}
  SCIM token      ${demo.token}
  admin API key   ${demo.adminApiKey}
  tailnet         demo (${demo.tailnetId}), identity domain example.com
${services.map((service) => `  ${service.name.padEnd(22)} http://127.0.0.1:${service.port}  (/healthz /readyz /metrics)`).join('\n')}
  logs            ${logDir}

Try:
  curl -s -H "Authorization: Bearer ${demo.token}" '${demo.scimUrl}/Users?filter=userName%20eq%20%22ada@example.com%22'
  curl -s -H "Authorization: Bearer ${demo.adminApiKey}" '${env.PUBLIC_URL}/api/v2/tailnet/-/devices'

Ctrl-C stops the services; \`npm run infra:down\` stops Kafka.`);
}

main().catch((error: unknown) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  stopping = true;
  process.exit(1);
});
