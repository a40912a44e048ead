// A throwaway Kafka (KRaft, one node) on free ports, for tests that stop the broker: started with
// the test environment's own script (scripts/testenv/kafka.sh) in a temporary TESTENV_DIR, so the
// shared test Kafka is never touched. Needs the Kafka runtime the test environment installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from './run-command';
import { freePort } from './throwaway-postgres';

const KAFKA_SH = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'testenv', 'kafka.sh');

export interface ThrowawayKafka {
  brokers: string[];
  /** Stops the broker (a test of Kafka being down). */
  stop(): Promise<void>;

  /** Stops the broker (if running) and removes its directory. */
  destroy(): Promise<void>;
}

export async function startThrowawayKafka(): Promise<ThrowawayKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'kwdb-connect-kafka-'));
  const port = await freePort();
  const controllerPort = await freePort();
  const env = {
    ...process.env,
    TESTENV_DIR: dir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
  };
  const run = async (action: 'start' | 'stop'): Promise<void> => {
    const result = await runCommand('bash', [KAFKA_SH, action], { env, timeoutMs: 180_000 });
    if (result.code !== 0) {
      throw new Error(`kafka.sh ${action} exited ${result.code}: ${result.stderr}${result.stdout}`);
    }
  };
  let running = false;
  const kafka: ThrowawayKafka = {
    brokers: [`127.0.0.1:${port}`],
    async stop() {
      await run('stop');
      running = false;
    },

    async destroy() {
      if (running) await kafka.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await run('start');
  running = true;
  return kafka;
}
