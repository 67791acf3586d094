import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { migrations } from '#roster/migrations';
import { createLogger, loadConfig, migrate, NestPinoLogger, RosterMetrics, yieldCpu } from '#roster/platform';
import { GatewayModule } from './gateway.module.js';
import { answerClientError } from './http/client-errors.js';
import { jsonBodyParser } from './http/json-body-parser.js';
import { policyAwareJsonParser, registerPolicyTextParsers } from './http/policy-body-parsers.js';
import { observeRequests } from './http/request-observability.js';
import { answerRoutingError } from './http/routing-errors.js';
import { refuseNulInUrls } from './http/unstorable-text.js';

const SCIM_JSON = /^application\/scim\+json/;

async function bootstrap() {
  const config = loadConfig(process.env, 8080);
  const logger = createLogger('scim-gateway', config.logLevel);
  // IdPs wait on the gateway: it keeps the full priority unless an operator says otherwise.
  logger.info(yieldCpu(config.cpuNiceness ?? 0), 'cpu priority');
  const metrics = new RosterMetrics('scim-gateway');
  await (await migrate(config.databaseUrl, migrations)).destroy();

  const adapter = new FastifyAdapter({
    bodyLimit: config.scimMaxBodyBytes,
    trustProxy: true,
    frameworkErrors: answerRoutingError,
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  // SCIM clients send application/scim+json; parse it exactly like application/json.
  fastify.addContentTypeParser(SCIM_JSON, { parseAs: 'string' }, jsonBodyParser(fastify));
  // Policy files are raw text on the policy routes, whichever of application/json, application/hujson or text/plain.
  adapter.useBodyParser('application/json', false, { bodyLimit: config.scimMaxBodyBytes }, policyAwareJsonParser(fastify));
  registerPolicyTextParsers(fastify);
  observeRequests(fastify, metrics);
  refuseNulInUrls(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register({ config, logger, metrics }), adapter, {
    logger: new NestPinoLogger(logger),
  });
  // As the projectors: Nest's default list also shuts down on SIGUSR2, SIGHUP and others, so an SRE asking a live
  // gateway for a heap snapshot (node --heapsnapshot-signal=SIGUSR2) would stop it instead.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.port, '0.0.0.0');
  logger.info({ port: config.port, scimBaseUrl: config.scimBaseUrl }, 'scim gateway listening');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
