// Errors that reach the user as one line. Anything thrown while reading
// input must be an InputError naming the source, so the CLI can print
// "pprof-plus: <source>: <problem>" and exit 1 without a stack trace.

/** Bad input data: exit status 1. */
export class InputError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(source ? `${source}: ${message}` : message);
    this.name = 'InputError';
    this.source = source;
  }
}

/** Bad command line: exit status 2. `hint` is printed on a second line. */
export class UsageError extends Error {
  readonly hint: string;
  constructor(message: string, hint = '') {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** Wraps a low-level failure (zlib, RangeError, ...) as an InputError for `source`. */
export function asInputError(source: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new InputError(source, msg);
}
