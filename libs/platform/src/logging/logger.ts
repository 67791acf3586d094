import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type RequestContext = { correlationId: string };

/** Carries the correlation id from the HTTP request into every log line and every event it causes. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { correlationId: context.correlationId } : {};
    },
  });
}
