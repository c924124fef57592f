/** Exit codes, stable for scripts that call the CLI. */
import type { LatentkitErrorCode } from '@latentkit/core';

export const EXIT = {
  ok: 0,
  /** A bug or an error we did not anticipate. */
  internal: 1,
  /** Bad flags or arguments (commander's own code too). */
  usage: 2,
  /** A file or its content is missing or malformed. */
  input: 3,
  /** The requested tfjs backend could not start. */
  backend: 4,
  /** A NaN/Inf loss stopped training. */
  numeric: 5,
  /** An ONNX export did not match tfjs within tolerance. */
  parity: 6,
  /** The --queue Redis server did not answer (or refused the password) within 10 s. */
  queue: 7,
  /** The machine refused: disk full, read-only or forbidden folder, too many open files (the message names the path). */
  environment: 8,
  /** Stopped by Ctrl-C after saving a checkpoint (128 + SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM after saving a checkpoint (128 + SIGTERM). */
  terminated: 143,
} as const;

/** The exit code of an error: its code's, except that a stop by SIGTERM exits as a shell expects (143). */
export function exitCodeOf(error: { readonly code: LatentkitErrorCode; readonly details: Readonly<Record<string, unknown>> }): number {
  return error.code === 'INTERRUPTED' && error.details.signal === 'SIGTERM' ? EXIT.terminated : exitCodeFor(error.code);
}

export function exitCodeFor(code: LatentkitErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
    case 'INVALID_CONFIG':
      return EXIT.usage;
    case 'FILE_NOT_FOUND':
    case 'PARSE_ERROR':
    case 'CHECKPOINT_ERROR':
      return EXIT.input;
    case 'BACKEND_UNAVAILABLE':
      return EXIT.backend;
    case 'NUMERIC_ERROR':
      return EXIT.numeric;
    case 'INTERRUPTED':
      return EXIT.interrupted;
    case 'QUEUE_UNAVAILABLE':
      return EXIT.queue;
    case 'UNSUPPORTED':
      return EXIT.usage;
  }
}
