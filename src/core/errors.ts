/** Exit codes shared by every bosun command. */
export const EXIT = { passed: 0, gateFailed: 1, badInput: 2, internal: 3 } as const;

/**
 * An error a user can act on: bad input or usage. `code` is machine-readable and stable
 * (tests and users grep for it); `message` is one line that names the input.
 */
export class BosunError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BosunError';
    this.code = code;
    this.exitCode = options?.exitCode ?? EXIT.badInput;
  }
}

export class UsageError extends BosunError {
  constructor(message: string) {
    super('E_USAGE', message);
    this.name = 'UsageError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
