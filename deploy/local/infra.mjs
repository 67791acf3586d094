#!/usr/bin/env node
// Local infrastructure for `npm run dev` and the e2e tests: a single-node Kafka broker run straight from its
// Maven Central jars (our machines have no Docker engine and cannot fetch Kafka's release archive) and the
// system PostgreSQL. Plain ESM JavaScript because it runs before the TypeScript build.
//
//   node deploy/local/infra.mjs up|down|status|restart-kafka
//   import { ensureInfra, stopKafka } from '../deploy/local/infra.mjs'
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const POM = path.join(REPO, 'deploy/kafka/pom.xml');
const LOG4J_CONFIG = path.join(REPO, 'deploy/kafka/log4j2.xml');
const HOME = path.join(REPO, '.roster/kafka');
const LIBS = path.join(HOME, 'libs');
const DATA = path.join(HOME, 'data'); // kept across restarts: tests check that messages survive one
const LOG_DIRS = path.join(DATA, 'kafka'); // partitions + KRaft metadata; server.log sits beside it
const FORMAT_STAMP = path.join(DATA, 'format.json');
const PROPS = path.join(HOME, 'server.properties');
const PID_FILE = path.join(HOME, 'kafka.pid');
const LOCK_FILE = path.join(HOME, 'start.lock');
const SERVER_OUT = path.join(HOME, 'server.out');

// Node may resolve `localhost` to ::1 while the broker listens on IPv4 only.
const HOST = '127.0.0.1';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/roster';
// Same release as deploy/kafka/pom.xml and docker-compose.yml.
const KAFKA_IMAGE = 'apache/kafka:4.4.0';

const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const rel = (p) => path.relative(REPO, p) || '.';

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return value;
}

const kafkaPorts = () => ({ port: intEnv('KAFKA_PORT', 19092), controllerPort: intEnv('KAFKA_CONTROLLER_PORT', 19093) });

// ---------------------------------------------------------------------------------------------- Kafka

/** @type {undefined | { started: any, client: any, brokers: string, stopped: boolean }} */
let container; // a Testcontainers broker started by this process, if any
let noContainerRuntime = false; // remembered so that later calls skip the probe and its log line

/**
 * Makes sure a Kafka broker answers and returns its bootstrap address.
 * @param {{ preferContainers?: boolean, timeoutMs?: number }} [opts]
 * @returns {Promise<{ brokers: string }>}
 */
export async function ensureKafka({ preferContainers = false, timeoutMs = 90_000 } = {}) {
  const external = process.env.KAFKA_BROKERS;
  if (external) {
    if (!(await kafkaAnswers(external, 15_000))) throw new Error(`KAFKA_BROKERS=${external} does not answer (describeCluster failed)`);
    return { brokers: external };
  }
  if (preferContainers) {
    const brokers = await ensureContainerKafka(timeoutMs);
    if (brokers) return { brokers };
  }
  return withStartLock(() => ensureLocalKafka(timeoutMs));
}

/** Stops the broker but keeps its data. No-op when it is not running. */
export async function stopKafka() {
  if (container) return stopContainerKafka();
  const pid = await readPid();
  if (pid && isKafkaProcess(pid)) {
    const t0 = Date.now();
    log(`stopping kafka (pid ${pid})…`);
    signalGroup(pid, 'SIGTERM');
    if (!(await waitForExit(pid, 30_000))) {
      log('kafka did not exit within 30 s; killing it');
      signalGroup(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
    log(`kafka stopped in ${elapsed(t0)}`);
  }
  await fs.rm(PID_FILE, { force: true });
}

async function ensureLocalKafka(timeoutMs) {
  const { port, controllerPort } = kafkaPorts();
  const brokers = `${HOST}:${port}`;
  const pid = await readPid();
  if (pid && isKafkaProcess(pid)) {
    // Already running, or still starting from another process: wait for it rather than start a second one.
    await waitUntilReady(brokers, pid, timeoutMs);
    return { brokers };
  }
  if (pid) {
    log(`removing stale pid file (pid ${pid} is not a running broker)`);
    await fs.rm(PID_FILE, { force: true });
  }

  const t0 = Date.now();
  await assertPortFree(port, 'KAFKA_PORT');
  await assertPortFree(controllerPort, 'KAFKA_CONTROLLER_PORT');
  await requireCommand('java', 'Java 17+ is needed to run the local Kafka broker');
  await fetchJars();
  await writeServerProperties(port, controllerPort);
  await formatStorageOnce(controllerPort);
  log(`starting kafka on ${brokers}…`);
  const child = startBroker();
  try {
    await waitUntilReady(brokers, child.pid, timeoutMs);
  } catch (err) {
    await stopKafka(); // a broker that never became ready must not linger and hold the ports
    throw err;
  }
  log(`kafka ready on ${brokers} in ${elapsed(t0)}`);
  return { brokers };
}

async function fetchJars() {
  const pomHash = createHash('sha256').update(await fs.readFile(POM)).digest('hex');
  const stamp = path.join(LIBS, '.pom.sha256');
  if ((await readText(stamp)) === pomHash) return;

  await requireCommand('mvn', 'Maven is needed once to fetch the Kafka jars');
  log('fetching Kafka jars with Maven (~45 MB on a first run)…');
  const t0 = Date.now();
  // Start from an empty folder so jars of a previous Kafka version do not stay on the classpath.
  await fs.rm(LIBS, { recursive: true, force: true });
  const args = ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${LIBS}`];
  try {
    await run('mvn', args, { maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`mvn could not fetch the Kafka jars:\n${tail(`${err.stdout ?? ''}${err.stderr ?? ''}`) || err.message}`);
  }
  await fs.writeFile(stamp, pomHash);
  log(`fetched Kafka jars in ${elapsed(t0)}`);
}

async function writeServerProperties(port, controllerPort) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    // With `format --standalone` the voter set lives in the log; controller.quorum.voters must stay unset.
    'controller.quorum.bootstrap.servers': `${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': LOG_DIRS,
    'num.partitions': 1,
    // Topics are created by the app's own code; a typo must fail instead of silently creating a topic.
    'auto.create.topics.enable': false,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Fast first consumer-group join and a small memory footprint: this broker is for dev and tests.
    'group.initial.rebalance.delay.ms': 0,
    'log.cleaner.dedupe.buffer.size': 33554432,
    // Kept on (the default) on purpose: without it the controller still holds the old broker registration after
    // a stop, and the next start waits out broker.session.timeout.ms (+9 s). Measured: stop 0.5 s, restart ~3 s.
    'controlled.shutdown.enable': true,
  };
  const text = Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n');
  await fs.mkdir(HOME, { recursive: true });
  await fs.writeFile(PROPS, `# Written by deploy/local/infra.mjs on every start; edit that file instead.\n${text}\n`);
}

async function formatStorageOnce(controllerPort) {
  if (existsSync(path.join(LOG_DIRS, 'meta.properties'))) {
    // The controller's endpoint is recorded in the metadata log at format time.
    const stamp = JSON.parse((await readText(FORMAT_STAMP)) || '{}');
    if (stamp.controllerPort && stamp.controllerPort !== controllerPort) {
      throw new Error(
        `${rel(DATA)} was formatted for controller port ${stamp.controllerPort}, not ${controllerPort}: ` +
          `unset KAFKA_CONTROLLER_PORT or delete ${rel(DATA)} (this drops all topics)`,
      );
    }
    return;
  }
  let clusterId;
  do clusterId = randomBytes(16).toString('base64url'); // Kafka's Uuid format: 22 chars, no padding
  while (clusterId.startsWith('-')); // would be read as a command-line option
  log(`formatting ${rel(LOG_DIRS)} (cluster id ${clusterId})`);
  await fs.mkdir(DATA, { recursive: true });
  try {
    await run('java', [...jvmArgs('-Xmx256m'), 'kafka.tools.StorageTool', 'format', '-c', PROPS, '-t', clusterId, '--standalone']);
  } catch (err) {
    throw new Error(`formatting Kafka storage failed:\n${tail(`${err.stdout ?? ''}${err.stderr ?? ''}`) || err.message}`);
  }
  await fs.writeFile(FORMAT_STAMP, `${JSON.stringify({ clusterId, controllerPort })}\n`);
}

function jvmArgs(...heap) {
  return [
    ...heap,
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
    `-Dkafka.logs.dir=${DATA}`,
    '-cp',
    path.join(LIBS, '*'),
  ];
}

function startBroker() {
  const out = openSync(SERVER_OUT, 'a');
  writeFileSync(out, `--- ${new Date().toISOString()} starting kafka\n`); // marks where this run's output begins
  // detached: its own process group, so it outlives this process and stopKafka can signal the whole group.
  const child = spawn('java', [...jvmArgs('-Xms256m', '-Xmx512m'), 'kafka.Kafka', PROPS], {
    cwd: HOME,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.on('error', (err) => log(`could not start java: ${err.message}`)); // waitUntilReady then reports the exit
  child.unref();
  // Written synchronously so a crash of this process right after the spawn still leaves the pid behind.
  writeFileSync(PID_FILE, `${child.pid}\n`);
  return child;
}

async function waitUntilReady(brokers, pid, timeoutMs) {
  const [host, port] = splitHostPort(brokers);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pid && !isKafkaProcess(pid)) {
      throw new Error(`kafka (pid ${pid}) exited during startup; last lines of ${rel(SERVER_OUT)}:\n${tail(await readText(SERVER_OUT))}\nsee also ${rel(path.join(DATA, 'server.log'))}`);
    }
    // The PLAINTEXT port only opens once the broker can serve; the admin call proves it really does.
    if ((await portAccepts(host, port)) && (await kafkaAnswers(brokers))) return;
    await sleep(250);
  }
  throw new Error(`kafka on ${brokers} was not ready after ${timeoutMs / 1000} s; see ${rel(SERVER_OUT)} and ${rel(path.join(DATA, 'server.log'))}`);
}

/** One describeCluster call, retried until `withinMs` has passed. */
async function kafkaAnswers(brokers, withinMs = 0) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const deadline = Date.now() + withinMs;
  for (;;) {
    const admin = new Kafka({
      clientId: 'roster-infra',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      if (Date.now() >= deadline) return false;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(500);
  }
}

// A file lock so that two processes (say `npm run dev` and a test run) never start two brokers at once.
async function withStartLock(fn) {
  await fs.mkdir(HOME, { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await fs.writeFile(LOCK_FILE, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(await readText(LOCK_FILE));
      const fresh = Date.now() - (statSync(LOCK_FILE, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 5_000;
      if (holder ? !pidAlive(holder) : !fresh) {
        await fs.rm(LOCK_FILE, { force: true }); // left behind by a process that died
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another process (pid ${holder}) has been starting Kafka for 3 minutes; see ${rel(LOCK_FILE)}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(LOCK_FILE, { force: true });
  }
}

// --------------------------------------------------------------------------------- Testcontainers

async function ensureContainerKafka(timeoutMs) {
  if (container) {
    if (container.stopped) {
      const t0 = Date.now();
      await container.client.container.start(container.client.container.getById(container.started.getId()));
      container.stopped = false;
      if (!(await kafkaAnswers(container.brokers, timeoutMs))) throw new Error(`restarted Kafka container on ${container.brokers} does not answer`);
      log(`kafka container restarted on ${container.brokers} in ${elapsed(t0)}`);
    }
    return container.brokers;
  }

  if (noContainerRuntime) return undefined;
  let tc, client;
  try {
    tc = await import('testcontainers');
    client = await tc.getContainerRuntimeClient();
  } catch (err) {
    noContainerRuntime = true;
    log(`no container runtime (${String(err?.message ?? err).split('\n')[0]}); using the local broker`);
    return undefined;
  }

  // @testcontainers/kafka 11's KafkaContainer drives Confluent's image scripts and cannot run apache/kafka, so
  // this is a GenericContainer. A fixed host port lets the advertised listener be known before start and keeps
  // it valid across stopKafka/ensureKafka (a plain `docker stop` + `docker start`, which keeps the data).
  const t0 = Date.now();
  const hostPort = await freePort();
  const dockerHost = client.info.containerRuntime.host === 'localhost' ? HOST : client.info.containerRuntime.host;
  log(`starting ${KAFKA_IMAGE} with Testcontainers…`);
  const started = await new tc.GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${dockerHost}:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_NUM_PARTITIONS: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(timeoutMs)
    .start();
  const brokers = `${dockerHost}:${hostPort}`;
  container = { started, client, brokers, stopped: false };
  if (!(await kafkaAnswers(brokers, 30_000))) throw new Error(`Kafka container on ${brokers} does not answer`);
  log(`kafka container ready on ${brokers} in ${elapsed(t0)}`);
  return brokers;
}

async function stopContainerKafka({ remove = false } = {}) {
  if (remove) {
    await container.started.stop();
    container = undefined;
  } else if (!container.stopped) {
    await container.client.container.stop(container.client.container.getById(container.started.getId()), { timeout: 30 });
    container.stopped = true;
  }
}

// ---------------------------------------------------------------------------------------- Postgres

/**
 * Makes sure the PostgreSQL server of DATABASE_URL answers; starts the local Debian cluster if it is down.
 * Does not create the app's database (the migrations do).
 * @param {{ timeoutMs?: number }} [opts]
 * @returns {Promise<{ databaseUrl: string }>}
 */
export async function ensurePostgres({ timeoutMs = 30_000 } = {}) {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const url = new URL(databaseUrl);
  let err = await postgresError(url);
  if (!err) return { databaseUrl };

  // A SQLSTATE means the server is up and refused us (bad role, password…): starting it would not help.
  const refused = /^[0-9A-Z]{5}$/.test(err.code ?? '');
  const isLocal = ['127.0.0.1', 'localhost'].includes(url.hostname) && (url.port || '5432') === '5432';
  const version = isLocal && !refused ? await localClusterVersion() : undefined;
  if (!version) throw new Error(`PostgreSQL at ${redact(url)} ${refused ? 'refused the connection' : 'does not answer'}: ${err.message}`);

  const t0 = Date.now();
  if (err.code !== 'STARTING') {
    log(`PostgreSQL does not answer (${err.message}); starting cluster ${version}/main…`);
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']).catch((e) => {
      throw new Error(`pg_ctlcluster ${version} main start failed: ${(e.stderr || e.message).trim()}`);
    });
  }
  const deadline = Date.now() + timeoutMs;
  while ((err = await postgresError(url)) && Date.now() < deadline) await sleep(250);
  if (err) throw new Error(`PostgreSQL at ${redact(url)} still does not answer after ${timeoutMs / 1000} s: ${err.message}`);
  log(`postgres ready on ${url.hostname}:${url.port || 5432} in ${elapsed(t0)}`);
  return { databaseUrl };
}

// Connects to the server's `postgres` maintenance database: the app database may not exist yet.
async function postgresError(url) {
  const { default: pg } = await import('pg');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.href, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    // 57P03: the server is starting up; treat it like "not answering yet" rather than a real error.
    return err.code === '57P03' ? Object.assign(err, { code: 'STARTING' }) : err;
  } finally {
    await client.end().catch(() => {});
  }
}

async function localClusterVersion() {
  if (!(await which('pg_ctlcluster'))) return undefined;
  const versions = await fs.readdir('/etc/postgresql').catch(() => []);
  return versions
    .filter((v) => existsSync(path.join('/etc/postgresql', v, 'main')))
    .sort((a, b) => Number(b) - Number(a))[0];
}

function redact(url) {
  const copy = new URL(url);
  if (copy.password) copy.password = '***';
  return copy.href;
}

// ------------------------------------------------------------------------------------------- Both

/** @returns {Promise<{ brokers: string, databaseUrl: string }>} */
export async function ensureInfra(opts = {}) {
  const [{ brokers }, { databaseUrl }] = await Promise.all([ensureKafka(opts), ensurePostgres()]);
  return { brokers, databaseUrl };
}

/** Stops Kafka (keeping its data). The system PostgreSQL is shared with other work and is left alone. */
export async function downInfra() {
  if (container) return stopContainerKafka({ remove: true });
  return stopKafka();
}

// ---------------------------------------------------------------------------------------- helpers

async function readText(file) {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if (err.code === 'ENOENT') return '';
    throw err;
  }
}

async function readPid() {
  const pid = Number(await readText(PID_FILE));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

// Guards against a recycled pid: the pid file can outlive the broker (reboot, kill -9).
function isKafkaProcess(pid) {
  if (!pidAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function waitForExit(pid, ms) {
  const deadline = Date.now() + ms;
  while (isKafkaProcess(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

function assertPortFree(port, envName) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${HOST} is already in use by another process: stop it or set ${envName} to a free port`)
          : err,
      ),
    );
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve()));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portAccepts(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function splitHostPort(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

async function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return undefined;
}

async function requireCommand(cmd, why) {
  if (!(await which(cmd))) throw new Error(`\`${cmd}\` is not on PATH. ${why}.`);
}

function tail(text, lines = 30) {
  return String(text ?? '').trim().split('\n').slice(-lines).join('\n');
}

// -------------------------------------------------------------------------------------------- CLI

async function status() {
  const { port } = kafkaPorts();
  const pid = await readPid();
  if (pid && isKafkaProcess(pid)) {
    const answers = await portAccepts(HOST, port);
    console.log(`kafka: running (pid ${pid}) on ${HOST}:${port}${answers ? '' : ' (port not accepting yet)'}`);
  } else {
    console.log(`kafka: not running${pid ? ` (stale pid file for pid ${pid})` : ''} (port ${port})`);
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const err = await postgresError(new URL(databaseUrl));
  console.log(`postgres: ${err ? `not answering (${err.message})` : 'answering'} at ${redact(databaseUrl)}`);
  return pid && isKafkaProcess(pid) ? 0 : 3; // LSB status code for "not running"
}

async function main(command) {
  switch (command) {
    case 'up': {
      const { brokers, databaseUrl } = await ensureInfra();
      console.log(`KAFKA_BROKERS=${brokers}\nDATABASE_URL=${databaseUrl}`);
      return 0;
    }
    case 'down':
      await downInfra();
      return 0;
    case 'status':
      return status();
    case 'restart-kafka': {
      await stopKafka();
      const { brokers } = await ensureKafka();
      console.log(`KAFKA_BROKERS=${brokers}`);
      return 0;
    }
    default:
      console.error('usage: node deploy/local/infra.mjs up|down|status|restart-kafka');
      return 2;
  }
}

const isCli = process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isCli) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (err) => {
      log(err.message);
      process.exit(1);
    },
  );
}
