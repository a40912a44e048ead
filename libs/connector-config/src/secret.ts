/** What every rendering of a secret shows instead of its value (Kafka Connect shows hidden passwords this way). */
export const HIDDEN = '[hidden]';

/**
 * A secret value, such as `connection.password`. It cannot leak by accident: `String(secret)`,
 * template strings, `JSON.stringify` and `util.inspect` all show `[hidden]`; only `reveal()`
 * returns the value. The value lives in a private field, so it is not an enumerable property either.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call it only where the value is handed to the database client. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return HIDDEN;
  }
}
