// CPU seconds of processes as Linux counts them (/proc/<pid>/stat), so that the servers, Redis and the load client
// are all measured by the same outside observer, whatever language they are written in.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of one process, all its threads, in seconds; 0 once it has gone. */
export function cpuSeconds(pid) {
  try {
    const f = statFields(pid);
    // After the name: state(0) ppid(1) ... utime(11) stime(12), i.e. fields 14 and 15 of proc(5).
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Every live descendant of `pid` (children, grandchildren ...), found through the parent ids in /proc. */
export function descendants(pid) {
  const childrenOf = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const parent = Number(statFields(name)[1]);
      if (!childrenOf.has(parent)) childrenOf.set(parent, []);
      childrenOf.get(parent).push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * CPU seconds of a process and its live descendants, per pid. A load client's worker processes are alive for the
 * whole measured phase, so the difference of two such readings is the tree's CPU over the phase (the kernel's
 * cutime/cstime would only count children once they have exited and been waited for).
 */
export function treeCpu(pid) {
  const perPid = new Map([[pid, cpuSeconds(pid)]]);
  for (const child of descendants(pid)) perPid.set(child, cpuSeconds(child));
  return perPid;
}

/** CPU used between two treeCpu readings (a process that appeared in between counts from zero). */
export function treeCpuDelta(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
