import { parsePortList, parseSinglePort, type PortRange } from './port-range.js';
import { parseSelector, type Selector } from './selector.js';

export interface Destination {
  readonly selector: Selector;
  readonly ports: readonly PortRange[];
}

export type DestinationParse = { ok: true; destination: Destination } | { ok: false; problem: string };

/**
 * `alias:ports`, split at the last colon as Tailscale does, so `fd7a::1:443` is the address
 * `fd7a::1` on port 443; `[fd7a::1]:443` says the same with brackets.
 */
export function parseDestination(text: string, role: 'dst' | 'test-dst'): DestinationParse {
  const colon = text.lastIndexOf(':');
  if (colon === -1) return MISSING_PORTS;
  const alias = unbracket(text.slice(0, colon));
  if (alias === undefined) return { ok: false, problem: 'brackets enclose an IPv6 address or CIDR only' };
  const selector = parseSelector(alias.text, role);
  if (!selector.ok) return selector;
  if (alias.bracketed && selector.selector.kind !== 'address') {
    return { ok: false, problem: 'brackets enclose an IPv6 address or CIDR only' };
  }
  const portsText = text.slice(colon + 1);
  if (role === 'test-dst') {
    const port = parseSinglePort(portsText);
    if (!port.ok) return parseSelector(text, role).ok ? MISSING_PORTS : port;
    return { ok: true, destination: { selector: selector.selector, ports: [{ first: port.port, last: port.port }] } };
  }
  const ports = parsePortList(portsText);
  if (!ports.ok) return parseSelector(text, role).ok ? MISSING_PORTS : ports;
  return { ok: true, destination: { selector: selector.selector, ports: ports.ranges } };
}

const MISSING_PORTS: DestinationParse = { ok: false, problem: 'a destination is written alias:ports' };

function unbracket(alias: string): { text: string; bracketed: boolean } | undefined {
  const opens = alias.startsWith('[');
  const closes = alias.endsWith(']');
  if (opens !== closes) return undefined;
  return opens ? { text: alias.slice(1, -1), bracketed: true } : { text: alias, bracketed: false };
}
