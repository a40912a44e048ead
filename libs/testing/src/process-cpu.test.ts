import { describe, expect, it } from '@jest/globals';
import { parentPid, processCpuSeconds, processTreeCpuSeconds } from './process-cpu';

describe('process CPU from /proc', () => {
  it("reads this process's parent and CPU, and counts it in its parent's tree", () => {
    const end = Date.now() + 50;
    while (Date.now() < end); // some CPU of our own
    expect(parentPid(process.pid)).toBe(process.ppid);
    const own = processCpuSeconds(process.pid);
    expect(own).toBeGreaterThan(0);
    expect(processTreeCpuSeconds(process.ppid)).toBeGreaterThanOrEqual(own);
  });
});
