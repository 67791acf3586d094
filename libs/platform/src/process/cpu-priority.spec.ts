import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { yieldCpu } from './cpu-priority.js';

// Each case changes the priority of a child process of its own, never the test runner's.
const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill()));

const SLEEPER = [process.execPath, '-e', 'console.log("up"); setTimeout(() => {}, 60_000)'];

/** A child process, once it runs (a `nice` in front of it has set its priority by then). */
async function sleeper(prefix: string[] = []): Promise<number> {
  const [command, ...args] = [...prefix, ...SLEEPER];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await once(child.stdout!, 'data');
  return child.pid!;
}

/** The niceness of each of the process's threads (Linux keeps one per thread). */
const threadNiceness = (pid: number) => readdirSync(`/proc/${pid}/task`).map((thread) => getPriority(Number(thread)));

describe('yieldCpu', () => {
  it('lowers the priority to the niceness asked for', async () => {
    const pid = await sleeper();
    const inherited = getPriority(pid);
    expect(inherited).toBeLessThanOrEqual(15);
    expect(yieldCpu(inherited + 4, pid)).toEqual({ niceness: inherited + 4, changed: true });
    expect(getPriority(pid)).toBe(inherited + 4);
  });

  it("lowers every thread's priority, the garbage collector's and compilers' started before it included", async () => {
    const pid = await sleeper();
    const inherited = getPriority(pid);
    expect(threadNiceness(pid).length).toBeGreaterThan(1);
    yieldCpu(inherited + 4, pid);
    expect(new Set(threadNiceness(pid))).toEqual(new Set([inherited + 4]));
  });

  it('never raises a priority an operator lowered further', async () => {
    const pid = await sleeper(['nice', '-n', '19']);
    expect(yieldCpu(10, pid)).toEqual({ niceness: 19, changed: false });
    expect(getPriority(pid)).toBe(19);
  });

  it('changes nothing when asked for the niceness the process has', async () => {
    const pid = await sleeper();
    const inherited = getPriority(pid);
    expect(yieldCpu(inherited, pid)).toEqual({ niceness: inherited, changed: false });
    expect(getPriority(pid)).toBe(inherited);
  });
});
