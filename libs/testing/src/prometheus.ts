// The test environment's Prometheus (scripts/testenv/prometheus.sh): tests add their own scrape
// jobs and rule files, then ask it to reload. One JSON file per job in <dir>/jobs, one YAML file
// per rule set in <dir>/rules; the script rebuilds prometheus.yml from them (checked by promtool)
// under a lock, so tests in parallel Jest workers do not lose each other's jobs.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run-command';
import { testEnvDir, TestEnvError, type TestEnv } from './test-env';

const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'testenv', 'prometheus.sh');

/** One Prometheus scrape_config object (job_name, static_configs / http_sd_configs / ...). */
export type ScrapeJob = { job_name: string } & Record<string, unknown>;

export interface TestPrometheus {
  /** http://127.0.0.1:<PROMETHEUS_PORT> */
  readonly url: string;
  /** Adds (or replaces) a scrape job and reloads (one Prometheus refuses is not kept). Job names must be unique across tests. */
  addScrapeJob(job: ScrapeJob): Promise<void>;
  removeScrapeJob(jobName: string): Promise<void>;
  /** Adds (or replaces) a rule file (Prometheus rules YAML) and reloads. */
  addRuleFile(name: string, yaml: string): Promise<void>;
  removeRuleFile(name: string): Promise<void>;
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** The test Prometheus of `env` (from loadTestEnv('prometheus')). */
export function testPrometheus(env: TestEnv): TestPrometheus {
  const prometheus = env.prometheus;
  if (prometheus === undefined) throw new TestEnvError('env.json has no "prometheus" section');
  const url = new URL(prometheus.url);
  const jobs = join(prometheus.dir, 'jobs');
  const rules = join(prometheus.dir, 'rules');
  const safe = (name: string): string => {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new TestEnvError(`not a safe file name: "${name}"`);
    return name;
  };
  const reload = async (): Promise<void> => {
    const result = await runCommand('bash', [SCRIPT, 'reload'], {
      env: {
        ...process.env,
        TESTENV_DIR: testEnvDir(),
        TESTENV_HOST: url.hostname,
        PROMETHEUS_PORT: url.port,
      },
    });
    if (result.code !== 0) throw new TestEnvError(`prometheus.sh reload failed: ${result.stderr}`);
  };
  /** Writes a file and reloads; a file Prometheus refuses is removed again (and the error thrown). */
  const add = async (file: string, text: string): Promise<void> => {
    writeAtomically(file, text);
    try {
      await reload();
    } catch (error) {
      rmSync(file, { force: true });
      await reload();
      throw error;
    }
  };
  return {
    url: prometheus.url,
    async addScrapeJob(job) {
      mkdirSync(jobs, { recursive: true });
      await add(join(jobs, `${safe(job.job_name)}.json`), JSON.stringify(job));
    },
    async removeScrapeJob(jobName) {
      rmSync(join(jobs, `${safe(jobName)}.json`), { force: true });
      await reload();
    },
    async addRuleFile(name, yaml) {
      mkdirSync(rules, { recursive: true });
      await add(join(rules, `${safe(name)}.yaml`), yaml);
    },
    async removeRuleFile(name) {
      rmSync(join(rules, `${safe(name)}.yaml`), { force: true });
      await reload();
    },
  };
}
