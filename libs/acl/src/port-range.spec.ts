import { describe, expect, it } from 'vitest';
import { parsePortList, parseSinglePort } from './port-range.js';

describe('parsePortList', () => {
  it.each([
    ['*', [{ first: 0, last: 65535 }]],
    ['22', [{ first: 22, last: 22 }]],
    ['80,443', [{ first: 80, last: 80 }, { first: 443, last: 443 }]],
    ['1000-2000', [{ first: 1000, last: 2000 }]],
    ['22,8000-8099,9000', [{ first: 22, last: 22 }, { first: 8000, last: 8099 }, { first: 9000, last: 9000 }]],
    ['0-65535', [{ first: 0, last: 65535 }]],
  ])('reads %s', (text, ranges) => {
    expect(parsePortList(text)).toEqual({ ok: true, ranges });
  });

  it.each([
    ['65536', 'port out of range'],
    ['1-70000', 'port out of range'],
    ['443-80', 'port range 443-80 ends before it starts'],
    ['', 'empty port in list'],
    ['22,', 'empty port in list'],
    ['22,*', '"*" is not a port, a port range or *'],
    ['-5', '"-5" is not a port, a port range or *'],
    [' 22', '" 22" is not a port, a port range or *'],
  ])('rejects %j', (text, problem) => {
    expect(parsePortList(text)).toEqual({ ok: false, problem });
  });
});

describe('parseSinglePort', () => {
  it('reads one port', () => {
    expect(parseSinglePort('443')).toEqual({ ok: true, port: 443 });
  });

  it.each(['*', '80,443', '80-81'])('rejects %s', (text) => {
    expect(parseSinglePort(text)).toEqual({ ok: false, problem: 'a test destination names exactly one port' });
  });
});
