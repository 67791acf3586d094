import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig } from './roster-config.js';

describe('loadConfig', () => {
  it('applies defaults for a bare environment', () => {
    const config = loadConfig({}, 8080);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/roster');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.scimBaseUrl).toBe('http://127.0.0.1:8080/scim/v2');
    expect(config.projectorLingerMs).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    const attempt = () => loadConfig({ DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost', PORT: '99999' }, 8080);
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigurationError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('KAFKA_BROKERS');
      expect(problems).toContain('PORT');
    }
  });

  it('takes a projector linger of 0 to 1000 ms, leaving the service its own when unset', () => {
    expect(loadConfig({ PROJECTOR_LINGER_MS: '0' }, 8080).projectorLingerMs).toBe(0);
    expect(loadConfig({ PROJECTOR_LINGER_MS: '40' }, 8080).projectorLingerMs).toBe(40);
    expect(() => loadConfig({ PROJECTOR_LINGER_MS: '5000' }, 8080)).toThrow(/PROJECTOR_LINGER_MS/);
  });

  it('takes a CPU niceness of 0 to 19, leaving the service its own when unset', () => {
    expect(loadConfig({}, 8080).cpuNiceness).toBeUndefined();
    expect(loadConfig({ CPU_NICENESS: '0' }, 8080).cpuNiceness).toBe(0);
    expect(loadConfig({ CPU_NICENESS: '19' }, 8080).cpuNiceness).toBe(19);
    expect(() => loadConfig({ CPU_NICENESS: '-5' }, 8080)).toThrow(/CPU_NICENESS/);
    expect(() => loadConfig({ CPU_NICENESS: '20' }, 8080)).toThrow(/CPU_NICENESS/);
  });

  it('trims a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://roster.example.com/' }, 8080).publicUrl).toBe('https://roster.example.com');
  });
});
