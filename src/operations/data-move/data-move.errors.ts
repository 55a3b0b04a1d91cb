/**
 * A refusal the operator can act on (bad URL, missing schema, non-empty target...). The CLI prints the
 * message alone, without a stack trace, and exits with 2 so scripts can tell it from a failed validation (1).
 */
export class DataMoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataMoveError';
  }
}
