import type { FastifyInstance } from 'fastify';
import { allowingEmptyBodies } from './bodiless-requests.js';
import { refusingDeepNesting } from './nesting-depth.js';
import { refusingUnstorableText, type BodyParser } from './unstorable-text.js';

/** Every JSON body the gateway takes, SCIM and admin alike: Fastify's parser, and what it lets through that we refuse. */
export function jsonBodyParser(fastify: FastifyInstance): BodyParser {
  return allowingEmptyBodies(refusingUnstorableText(refusingDeepNesting(fastify.getDefaultJsonParser('ignore', 'ignore'))));
}
