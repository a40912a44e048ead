/** One problem with one configuration key. `message` starts with the key, e.g. `batch.size: must be ...`. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/** Builds a problem whose message names the key. */
export function problem(key: string, text: string): ConfigProblem {
  return { key, message: `${key}: ${text}` };
}

/**
 * An invalid connector configuration or worker environment. It carries every problem found, and its
 * message has a header line and then one line per problem. The values of secrets never appear in it.
 */
export class ConfigError extends Error {
  /** Stable code for callers and error mappers. */
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly ConfigProblem[];

  /** @param subject what was invalid, e.g. "Connector configuration" or "Worker environment" */
  constructor(problems: readonly ConfigProblem[], subject = 'Connector configuration') {
    const lines = problems.map((p) => p.message);
    super(
      `${subject} is invalid and contains the following ${problems.length} error(s):\n${lines.join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
