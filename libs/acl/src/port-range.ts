export interface PortRange {
  readonly first: number;
  readonly last: number;
}

const HIGHEST_PORT = 65535;
export const ALL_PORTS: PortRange = { first: 0, last: HIGHEST_PORT };

export type PortListParse = { ok: true; ranges: PortRange[] } | { ok: false; problem: string };
export type SinglePortParse = { ok: true; port: number } | { ok: false; problem: string };

const PORT_ITEM = /^(\d+)(?:-(\d+))?$/;

/** Tailscale's port forms: `*`, `22`, `80,443`, `1000-2000`, and lists mixing single ports and ranges. */
export function parsePortList(text: string): PortListParse {
  if (text === '*') return { ok: true, ranges: [ALL_PORTS] };
  const ranges: PortRange[] = [];
  for (const item of text.split(',')) {
    const parsed = parsePortItem(item);
    if (!parsed.ok) return parsed;
    ranges.push(parsed.range);
  }
  return { ok: true, ranges };
}

/** A `tests` destination names exactly one port. */
export function parseSinglePort(text: string): SinglePortParse {
  const parsed = parsePortList(text);
  if (!parsed.ok) return parsed;
  const [range] = parsed.ranges;
  if (parsed.ranges.length !== 1 || range === undefined || range.first !== range.last) {
    return { ok: false, problem: 'a test destination names exactly one port' };
  }
  return { ok: true, port: range.first };
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= HIGHEST_PORT;
}

export function coversAllPorts(range: PortRange): boolean {
  return range.first === 0 && range.last === HIGHEST_PORT;
}

function parsePortItem(item: string): { ok: true; range: PortRange } | { ok: false; problem: string } {
  if (item === '') return { ok: false, problem: 'empty port in list' };
  const match = PORT_ITEM.exec(item);
  if (match === null) return { ok: false, problem: `"${item}" is not a port, a port range or *` };
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first > HIGHEST_PORT || last > HIGHEST_PORT) return { ok: false, problem: 'port out of range' };
  if (first > last) return { ok: false, problem: `port range ${item} ends before it starts` };
  return { ok: true, range: { first, last } };
}
