// Smoke test: the test environment's Prometheus scrapes a job a test adds, evaluates a rule file a
// test adds, and forgets both when they are removed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTestEnv, testPrometheus, uniqueName } from './index';

const env = loadTestEnv('prometheus');
const prometheus = testPrometheus(env);
const job = uniqueName('smoke').replace(/-/g, '_');
let server: Server;

async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return ((await res.json()) as { data: { result: never[] } }).data.result;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('# TYPE smoke_value gauge\nsmoke_value 42\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await prometheus.removeScrapeJob(job);
  await prometheus.removeRuleFile(job);
  await new Promise((resolve) => server.close(resolve));
});

describe('the test Prometheus', () => {
  it('scrapes an added job and evaluates an added rule file', async () => {
    const port = (server.address() as AddressInfo).port;
    await prometheus.addScrapeJob({ job_name: job, static_configs: [{ targets: [`127.0.0.1:${port}`] }] });
    await prometheus.addRuleFile(
      job,
      `groups:\n  - name: ${job}\n    rules:\n      - record: ${job}:doubled\n        expr: smoke_value{job="${job}"} * 2\n`,
    );
    const scraped = await until(
      async () => (await query(`smoke_value{job="${job}"}`))[0],
      'the scraped value',
    );
    expect(scraped.value[1]).toBe('42');
    const recorded = await until(async () => (await query(`${job}:doubled`))[0], 'the recorded value');
    expect(recorded.value[1]).toBe('84');
  });

  it('refuses an invalid job and keeps the running configuration', async () => {
    await expect(
      prometheus.addScrapeJob({ job_name: `${job}_bad`, scrape_interval: 'often' }),
    ).rejects.toThrow(/prometheus.sh reload failed/);
    expect((await query(`up{job="${job}"}`)).length).toBe(1);
  });
});
