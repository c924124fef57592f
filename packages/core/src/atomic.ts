/**
 * Atomic file writes: a reader (or a crash) sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `data` to a temporary sibling, flushes it to disk, then renames it over `file`. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempSibling(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Builds a whole folder with `fill`, then swaps it in for `dir`. Between the two renames a crash leaves the previous
 * folder at `dir + '.old'`, which `readableDir` falls back to.
 */
export function writeDirAtomic(dir: string, fill: (tmpDir: string) => void): void {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempSibling(target);
  fs.mkdirSync(tmp);
  try {
    fill(tmp);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = `${target}.old`;
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(tmp, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** `dir` if it exists, else the `.old` copy a crash inside `writeDirAtomic` may have left, else undefined. */
export function readableDir(dir: string): string | undefined {
  const target = path.resolve(dir);
  if (fs.existsSync(target)) return target;
  if (fs.existsSync(`${target}.old`)) return `${target}.old`;
  return undefined;
}
