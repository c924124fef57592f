/**
 * One error type for the whole toolkit. `code` is stable for programs; `message` is written for people: it names
 * the argument or file that was wrong and says what was expected.
 */
export type LatentkitErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'FILE_NOT_FOUND'
  | 'PARSE_ERROR'
  | 'BACKEND_UNAVAILABLE'
  | 'CHECKPOINT_ERROR'
  | 'NUMERIC_ERROR'
  | 'UNSUPPORTED'
  | 'INTERRUPTED'
  /** A job queue (Redis) did not answer or refused the connection. */
  | 'QUEUE_UNAVAILABLE';

export class LatentkitError extends Error {
  override readonly name = 'LatentkitError';
  readonly code: LatentkitErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: LatentkitErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isLatentkitError(e: unknown): e is LatentkitError {
  return e instanceof LatentkitError;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `argument "kappa" must be a positive number, got -1`. */
export function invalidArgument(name: string, expected: string, got: unknown): LatentkitError {
  return new LatentkitError('INVALID_ARGUMENT', `argument "${name}" must be ${expected}, got ${describe(got)}`, {
    argument: name,
    expected,
    got,
  });
}

/** Throws `invalidArgument` unless `ok`. */
export function check(ok: boolean, name: string, expected: string, got: unknown): asserts ok {
  if (!ok) throw invalidArgument(name, expected, got);
}

export function checkPositiveInt(value: unknown, name: string): asserts value is number {
  check(Number.isInteger(value) && (value as number) > 0, name, 'a positive integer', value);
}

export function checkFinite(value: unknown, name: string): asserts value is number {
  check(typeof value === 'number' && Number.isFinite(value), name, 'a finite number', value);
}

/** A parse error that points at a place in a file: `ptb.train.txt:12: expected …, got …`. */
export function parseError(file: string, line: number | undefined, expected: string, got: string): LatentkitError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new LatentkitError('PARSE_ERROR', `${where}: expected ${expected}, got ${got}`, { file, line, expected, got });
}
