import { existsSync, readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The niceness this process runs at once `yieldCpu` has done its part, and whether it changed it. */
export type CpuPriority = { niceness: number; changed: boolean };

/**
 * Lowers this process's CPU priority to `niceness` (0–19), never raising it: a service started under `nice` by
 * its operator stays as low as it was put, and lowering one's own priority needs no privilege.
 *
 * Why services yield at all: on a shared host (the stack on one machine, systemd units, `npm run dev`) the
 * projectors that trail the log by design — they already linger after busy batches — compete for the same cores
 * as the gateway, whose latency IdPs see. At a lower priority they take the CPU the gateway leaves, and catch
 * up once a burst is over. Between containers the scheduler goes by each container's CPU weight instead (a
 * pod's CPU request), so this changes nothing there.
 */
export function yieldCpu(niceness: number, pid = process.pid): CpuPriority {
  let changed = false;
  for (const thread of threadsOf(pid)) {
    try {
      if (niceness <= getPriority(thread)) continue;
      setPriority(thread, niceness);
      changed = true;
    } catch (error) {
      if (existsSync(`/proc/${pid}/task/${thread}`)) throw error;
      // The thread ended between listing and setting.
    }
  }
  return { niceness: getPriority(pid), changed };
}

/**
 * On Linux a niceness belongs to a thread, and a thread starts with its creator's: V8's garbage-collection and
 * compiler threads, started before a service gets to run this, would keep full priority unless each is set.
 * Threads started afterwards inherit the main thread's. Elsewhere it belongs to the process.
 */
function threadsOf(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  return existsSync(tasks) ? readdirSync(tasks).map(Number) : [pid];
}
