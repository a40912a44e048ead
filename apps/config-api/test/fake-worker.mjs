#!/usr/bin/env node
// A small fake worker for config-api's supervisor and contract tests. It follows
// docs/worker-contract.md (environment, worker config file with targetState re-read every second
// -- here every 200 ms --, exit codes, task states in the status topic) but moves no data.
// Its behaviour comes from the connector config key `fake.behaviour`:
//   run (default) | fail (publish FAILED with a trace, exit 2) | crash (exit 1 after 300 ms)
// Every start is appended to $FAKE_WORKER_LOG as one JSON line, so tests can count starts.
import { appendFileSync, readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';

const env = process.env;
const read = () => JSON.parse(readFileSync(env.KWDB_CONNECT_CONFIG_FILE, 'utf8'));
const file = read();
const name = file.name;
const task = Number(env.KWDB_CONNECT_TASK_ID ?? '0');
const behaviour = file.config['fake.behaviour'] ?? 'run';
const password = env.KWDB_CONNECT_PASSWORD_FILE ? readFileSync(env.KWDB_CONNECT_PASSWORD_FILE, 'utf8') : null;
if (env.FAKE_WORKER_LOG) {
  appendFileSync(
    env.FAKE_WORKER_LOG,
    JSON.stringify({
      name,
      task,
      pid: process.pid,
      behaviour,
      hasPassword: password !== null,
      argv: process.argv.slice(2),
      topicTracking: env.KWDB_CONNECT_TOPIC_TRACKING_ENABLE ?? null,
    }) + '\n',
  );
}
if (behaviour === 'crash') setTimeout(() => process.exit(1), 300);

const kafka = new Kafka({
  clientId: 'fake-worker',
  brokers: env.KAFKA_BOOTSTRAP_SERVERS.split(','),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer();
const publish = (state, trace = null) =>
  producer.send({
    topic: env.KWDB_CONNECT_STATUS_TOPIC,
    acks: -1,
    messages: [
      {
        key: `status-task-${name}-${task}`,
        value: JSON.stringify({
          state,
          trace,
          worker_id: env.KWDB_CONNECT_WORKER_ID,
          generation: 0,
          updated_at: Date.now(),
        }),
      },
    ],
  });

await producer.connect();
if (behaviour === 'fail') {
  await publish('FAILED', 'Error: fake failure for tests\n    at fake-worker.mjs');
  await producer.disconnect();
  process.exit(2);
}
let target = file.targetState;
await publish(target);
const timer = setInterval(async () => {
  try {
    const next = read().targetState;
    if (next !== target) {
      target = next;
      await publish(target);
    }
  } catch {
    // the file is replaced atomically; a failed read is retried at the next tick
  }
}, 200);
process.once('SIGTERM', async () => {
  clearInterval(timer);
  await publish('UNASSIGNED');
  await producer.disconnect();
  process.exit(0);
});
