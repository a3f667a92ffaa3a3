/**
 * Thrown by `createEtnaAuthMachine` for options that cannot work; `option` names the culprit.
 * @example try { createEtnaAuthMachine(options); } catch (e) { if (e instanceof EtnaConfigurationError) console.error(e.option); }
 */
export class EtnaConfigurationError extends Error {
  override name = 'EtnaConfigurationError';
  readonly kind = 'configuration';
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.option = option;
  }
}
