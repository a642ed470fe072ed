/**
 * What the numbers were measured on: every result file carries it.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * @typedef {object} Machine
 * @property {string} cpu
 * @property {number} cores logical CPUs the process may use
 * @property {number} memoryGiB
 * @property {string} os
 * @property {string} node
 * @property {string} v8
 * @property {string} locale
 * @property {number[]} loadAverage 1, 5 and 15 minutes, when the run began
 */

/** @returns {Machine} */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    locale: process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || 'POSIX',
    loadAverage: roundedLoad(),
  };
}

/** @returns {number[]} */
export function roundedLoad() {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

/** @returns {{ busy: number, total: number } | null} CPU time of the whole machine, in clock ticks */
function readMachineTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are the time nobody ran.
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return null;
  }
}

/** @returns {number | null} CPU time of this process and its waited-for children, in clock ticks */
function readOwnTicks() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name may hold spaces; after it come field 3 onwards; utime is field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
    return utime + stime + cutime + cstime;
  } catch {
    return null;
  }
}

/**
 * Start measuring how busy other work keeps the machine; call the returned function at the end.
 * On Linux it gives the average number of cores that processes other than this benchmark and its
 * children kept busy meanwhile; elsewhere `otherCores` is `null`.
 * @returns {() => { otherCores: number | null, loadAverage: number[] }}
 */
export function startLoadMeter() {
  const machine0 = readMachineTicks();
  const own0 = readOwnTicks();
  return () => {
    const machine1 = readMachineTicks();
    const own1 = readOwnTicks();
    let otherCores = null;
    if (machine0 && machine1 && own0 !== null && own1 !== null && machine1.total > machine0.total) {
      // Both files count in USER_HZ ticks, so the tick rate cancels out; `total` spans all CPUs.
      const others = Math.max(0, machine1.busy - machine0.busy - (own1 - own0));
      otherCores = Math.round((others / (machine1.total - machine0.total)) * os.cpus().length * 100) / 100;
    }
    return { otherCores, loadAverage: roundedLoad() };
  };
}

/**
 * Other work kept more than a quarter of a core busy on average: the timings are noisy and the
 * report says so.
 * @param {number | null} otherCores
 */
export const isUnderLoad = (otherCores) => otherCores !== null && otherCores > 0.25;
