/**
 * Where a run reports: a JSON-lines file (one record per line, appended, so a resumed run continues it) and a
 * callback; and the reader of such a file.
 *
 * A kill or a full disk during an append leaves a partial last line, and a resumed run repeats the steps after its
 * last checkpoint. So the writer cuts a partial last line off before it appends, and the reader skips (and reports)
 * a line that is not JSON and keeps, for each step, only the records of the run that got past it.
 */
import fs from 'node:fs';
import path from 'node:path';

export type LogRecord = {
  readonly type: 'step' | 'valid' | 'checkpoint' | 'epoch' | 'stop' | 'error' | 'resume' | 'restore';
  readonly time: string;
} & Readonly<Record<string, unknown>>;

/**
 * Cuts `file` back to its last complete line (one ending in a newline) and returns the bytes removed (0 when the
 * file ends in a newline, is empty or does not exist). Call it before appending to a log that a crash may have left
 * mid-line; the trainer does on every start.
 */
export function truncatePartialLastLine(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return 0;
    // Read backwards in blocks until a newline: a log line is short, but do not assume it.
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const n = fs.readSync(fd, block, 0, end - start, start);
      const at = block.subarray(0, n).lastIndexOf(0x0a);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep !== size) fs.ftruncateSync(fd, keep);
        return size - keep;
      }
      end = start;
    }
    fs.ftruncateSync(fd, 0);
    return size;
  } finally {
    fs.closeSync(fd);
  }
}

export class RunLog {
  private readonly file?: string;
  private readonly listener?: (record: LogRecord) => void;
  /** Bytes of a partial last line cut off when the log was opened (a crash during an append). */
  readonly repairedBytes: number = 0;

  constructor(file?: string, listener?: (record: LogRecord) => void) {
    if (file) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.repairedBytes = truncatePartialLastLine(file);
    }
    if (file !== undefined) this.file = file;
    if (listener !== undefined) this.listener = listener;
  }

  write(type: LogRecord['type'], fields: Record<string, unknown>): void {
    const record: LogRecord = { type, time: new Date().toISOString(), ...fields };
    if (this.file) fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    this.listener?.(record);
  }
}

/** A line of a log that was skipped, with why. */
export interface SkippedLine {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly reason: 'truncated final line' | 'not a JSON record';
  readonly text: string;
}

export interface RunLogContents {
  /** The records in file order, without those a resume superseded. */
  readonly records: readonly LogRecord[];
  /** Lines that could not be read; a truncated final line is the usual one (a kill during an append). */
  readonly skipped: readonly SkippedLine[];
  /** Records dropped because a resume from an earlier step repeated them (the later copy is kept). */
  readonly superseded: number;
  /** One sentence per skipped line, for a warning: `log.jsonl:41: skipped a truncated final line`. */
  readonly warnings: readonly string[];
}

/** Records that belong to a point of a run: a resume from an earlier step rewrites them. */
const STEP_BOUND = new Set<string>(['step', 'valid', 'checkpoint', 'epoch']);

function isRecord(value: unknown): value is LogRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Parses the text of a JSON-lines run log (see `readRunLog`); `file` only names it in what is reported.
 */
export function parseRunLog(text: string, file: string): RunLogContents {
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text === '';
  if (lines.at(-1) === '') lines.pop();
  const kept: LogRecord[] = [];
  const skipped: SkippedLine[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isRecord(value)) {
      kept.push(value);
      return;
    }
    const final = i === lines.length - 1 && !complete;
    skipped.push({ file, line: i + 1, reason: final ? 'truncated final line' : 'not a JSON record', text: line.length > 80 ? `${line.slice(0, 80)}…` : line });
  });
  // A resume from step S repeats what the first run logged after S: walking backwards, each resume hides the
  // step-bound records before it with a step above S.
  const records: LogRecord[] = [];
  let ceiling = Number.POSITIVE_INFINITY;
  let superseded = 0;
  // And whatever wrote them (a resume record lost with a partial line), one step record per step: the latest.
  const stepsSeen = new Set<number>();
  for (let i = kept.length - 1; i >= 0; i--) {
    const record = kept[i] as LogRecord;
    const step = typeof record['step'] === 'number' ? (record['step'] as number) : undefined;
    if ((STEP_BOUND.has(record.type) && step !== undefined && step > ceiling) || (record.type === 'step' && step !== undefined && stepsSeen.has(step))) {
      superseded++;
      continue;
    }
    if (record.type === 'step' && step !== undefined) stepsSeen.add(step);
    if (record.type === 'resume' && step !== undefined) ceiling = Math.min(ceiling, step);
    records.push(record);
  }
  records.reverse();
  const warnings = skipped.map(
    (s) =>
      `${s.file}:${s.line}: skipped a ${s.reason === 'truncated final line' ? 'truncated final line' : 'line that is not a JSON record'} (${JSON.stringify(s.text)})`,
  );
  return { records, skipped, superseded, warnings };
}

/**
 * Reads a run's JSON-lines log: a truncated final line (a kill or a full disk during an append) or any other line
 * that is not a JSON record is skipped and reported with its file and line, and records repeated by a resume are
 * dropped in favour of the later run's. A missing file is an error of the caller's choosing: this throws ENOENT.
 */
export function readRunLog(file: string): RunLogContents {
  return parseRunLog(fs.readFileSync(file, 'utf8'), file);
}
