// CPU time of processes on this host, from /proc (Linux), for the benchmarks: a worker's own CPU
// and the database server's CPU over a phase (issue 17). Not for tests' assertions: timings are
// measured by benchmarks only.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const CLOCK_TICKS = 100;

/** /proc/<pid>/stat from field 3 on: index 0 is the state, 1 the ppid, 11-14 utime, stime, cutime, cstime. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds a process has used. */
export function processCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** A process's parent pid (PostgreSQL: a session's backend -> the postmaster). */
export function parentPid(pid: number): number {
  return Number(statFields(pid)[1]);
}

/**
 * CPU seconds used so far by a process and its children: its own, the children it has reaped
 * (cutime, cstime: ended PostgreSQL sessions) and its live children (sessions, autovacuum,
 * checkpointer, WAL writer for a postmaster). The difference over a phase is that phase's cost.
 */
export function processTreeCpuSeconds(pid: number): number {
  const own = statFields(pid);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while /proc was listed
    }
  }
  return ticks / CLOCK_TICKS;
}
