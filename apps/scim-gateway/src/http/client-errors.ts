import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { edgeErrorBody } from './edge-error-body.js';

type ClientError = Error & { code?: string };

const REQUEST_LINE = /^[A-Z]+ (\S+)/;

/**
 * Requests Node refuses before Fastify sees them (a URL and headers too large, a timeout, bytes that are not HTTP),
 * answered in the error form of the API the path belongs to, as every other error is. The path is read from the
 * request line when the refused bytes hold it; without it the answer is SCIM's, the API IdPs call.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = clientErrorOf(error);
  const { contentType, body } = edgeErrorBody(requestPathOf(error), status, detail);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${contentType}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** The path on the request line, when Node kept the refused bytes (Fastify's types call them JSON; they are a Buffer). */
function requestPathOf(error: ClientError): string {
  const raw = (error as { rawPacket?: unknown }).rawPacket;
  if (!Buffer.isBuffer(raw)) return '';
  return REQUEST_LINE.exec(raw.subarray(0, 2_048).toString('latin1'))?.[1] ?? '';
}

function clientErrorOf(error: ClientError): { status: number; detail: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, detail: `the URL and headers together exceed ${maxHeaderSize / 1024} KB; send a shorter URL or fewer headers` };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'the request was not received in time' };
  return { status: 400, detail: 'the request is not well-formed HTTP' };
}
