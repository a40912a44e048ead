// A task's side of topic tracking (KIP-558): the first time the task uses a topic (a sink consumed
// a record from it, a source produced to it) it publishes `status-topic-<topic>:connector-<name>`
// to the status topic; config-api reads these for GET /connectors/{name}/topics. A reset (PUT
// .../topics/reset) writes tombstones and tells running tasks to forget(), so they record again
// on their next use, as Kafka Connect's workers do when they read the tombstones.
import type { Logger } from 'pino';
import type { StatusPublisher } from './status-publisher';

export interface ActiveTopicsOptions {
  publisher: Pick<StatusPublisher, 'publishTopic'>;
  connector: string;
  task: number;
  logger: Logger;
  /** topic.tracking.enable (default true); when false nothing is recorded. */
  enabled?: boolean;
}

export class ActiveTopicsRecorder {
  private readonly options: ActiveTopicsOptions;
  private readonly recorded = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();
  private epoch = 0;

  constructor(options: ActiveTopicsOptions) {
    this.options = options;
  }

  /**
   * Records that the task used `topic`, once per topic until forget(). Publishing runs in the
   * background; a failure is logged and the next use of the topic tries again.
   */
  record(topic: string): void {
    if (this.options.enabled === false) return;
    if (this.recorded.has(topic) || this.pending.has(topic)) return;
    const epoch = this.epoch;
    const { publisher, connector, task, logger } = this.options;
    const sent = publisher
      .publishTopic(connector, topic, task)
      .then(() => {
        if (epoch === this.epoch) this.recorded.add(topic);
      })
      .catch((error: unknown) => {
        logger.warn({ err: error, topic }, 'could not record the topic as used by the connector');
      })
      .finally(() => this.pending.delete(topic));
    this.pending.set(topic, sent);
  }

  /** Forgets what was recorded (the connector's topics were reset): the next use records again. */
  forget(): void {
    this.epoch += 1;
    this.recorded.clear();
  }

  /** Resolves once every publish started so far has finished (before the publisher disconnects). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }
}
