const REDACTED = '[redacted]';

/**
 * A secret string (password, PIN, code, interim or session token) that never prints itself.
 * `JSON.stringify`, `String()`, template literals and `util.inspect` all show `[redacted]`;
 * only {@link Secret.reveal} returns the value.
 * @example actor.send({ type: 'SUBMIT_PIN', pin: new Secret(pinField.value) });
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself: call it only where it leaves for the wire. */
  reveal(): string {
    return this.#value;
  }

  /** True for a `Secret` made by this module (a brand check, so a look-alike object is refused). */
  static is(value: unknown): value is Secret {
    return typeof value === 'object' && value !== null && #value in value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

export { REDACTED };
