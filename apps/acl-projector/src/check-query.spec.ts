import { describe, expect, it } from 'vitest';
import { TailnetAcl } from '#roster/acl-projection';
import { checkQuestion, InvalidCheckQueryError } from './check-query.js';

function tailnet() {
  const acl = new TailnetAcl('t1', 'example.com');
  acl.upsertUser({ userId: 'u1', login: 'alice@example.com', state: 'active' });
  return acl;
}

describe('checkQuestion', () => {
  it('reads users by email, IPs (v4 and v6) and otherwise node ids', () => {
    expect(checkQuestion({ src: 'Alice@Example.com', dst: '100.64.0.1', port: '22' }, tailnet())).toEqual({ src: { user: 'u1' }, dst: { ip: '100.64.0.1' }, port: 22 });
    expect(checkQuestion({ src: 'node-7', dst: 'fd7a:115c:a1e0::1', port: '443', proto: 'udp' }, tailnet())).toEqual({
      src: { node: 'node-7' },
      dst: { ip: 'fd7a:115c:a1e0::1' },
      port: 443,
      proto: 'udp',
    });
  });

  it('denies, with the reason, an email that is not a user of the tailnet', () => {
    expect(checkQuestion({ src: 'alice@example.com', dst: 'zed@example.com', port: '22' }, tailnet())).toEqual({
      denied: 'destination user zed@example.com is not an active user of this tailnet',
    });
  });

  it('rejects a missing endpoint or a bad port, naming the parameter', () => {
    expect(() => checkQuestion({ dst: 'x', port: '22' }, tailnet())).toThrow(InvalidCheckQueryError);
    expect(() => checkQuestion({ src: 'a', dst: 'b', port: '70000' }, tailnet())).toThrow(/port: must be between 0 and 65535/);
    expect(() => checkQuestion({ src: 'a', dst: 'b', port: 'ssh' }, tailnet())).toThrow(/port: must be a port number/);
    expect(() => checkQuestion({ src: 'a', dst: 'b', port: '22', proto: 'tcp;drop' }, tailnet())).toThrow(/proto/);
  });
});
