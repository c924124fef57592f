/** Where a run reports: a JSON-lines file (one record per line, appended, so a resumed run continues it) and a callback. */
import fs from 'node:fs';
import path from 'node:path';

export type LogRecord = { readonly type: 'step' | 'valid' | 'checkpoint' | 'epoch' | 'stop' | 'error' | 'resume'; readonly time: string } & Readonly<
  Record<string, unknown>
>;

export class RunLog {
  private readonly file?: string;
  private readonly listener?: (record: LogRecord) => void;

  constructor(file?: string, listener?: (record: LogRecord) => void) {
    if (file) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (file !== undefined) this.file = file;
    if (listener !== undefined) this.listener = listener;
  }

  write(type: LogRecord['type'], fields: Record<string, unknown>): void {
    const record: LogRecord = { type, time: new Date().toISOString(), ...fields };
    if (this.file) fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    this.listener?.(record);
  }
}
