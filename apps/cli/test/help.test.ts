/**
 * CLI habits every command shares, read from the built CLI's own --help: each default printed once, --json and
 * --quiet everywhere, and -o/--out always a file (folders are --out-dir).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');

const cache = new Map<string, string>();

function help(...command: string[]): string {
  const key = command.join(' ');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const r = spawnSync(process.execPath, [BIN, ...command, '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
  expect(r.status, `${command.join(' ')} --help: ${r.stderr}`).toBe(0);
  cache.set(key, r.stdout);
  return r.stdout;
}

/** The option entries of a help text, each with its wrapped continuation lines joined. */
export function optionEntries(text: string): string[] {
  const section = text.split(/^Options:$/m)[1]?.split(/^\S.*:$/m)[0] ?? '';
  const entries: string[] = [];
  for (const line of section.split('\n')) {
    if (/^ {2}-/.test(line)) entries.push(line.trim());
    else if (/^ {3,}\S/.test(line) && entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries;
}

/** Every command and subcommand, as listed by the top-level help (`data inspect` under `data`). */
function commands(): string[][] {
  const top = help();
  const names = (top.split(/^Commands:$/m)[1] ?? '')
    .split('\n')
    .map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== 'help');
  const all = names.map((n) => [n]);
  for (const n of names) {
    const sub = (help(n).split(/^Commands:$/m)[1] ?? '').split('\n').map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1]);
    for (const s of sub) if (s && s !== 'help') all.push([n, s]);
  }
  return all;
}

describe('--help of every command', () => {
  const all = commands();

  it('finds the commands (so the checks below check something)', () => {
    expect(all.map((c) => c.join(' '))).toEqual(expect.arrayContaining(['train', 'eval', 'encode', 'sample', 'export', 'compare', 'data inspect', 'sweep']));
  });

  it('prints each default once', () => {
    const twice: string[] = [];
    for (const c of all) for (const e of optionEntries(help(...c))) if ((e.match(/\(default|default:/g) ?? []).length > 1) twice.push(`${c.join(' ')}: ${e}`);
    expect(twice).toEqual([]);
  });

  it('writes every default the one way commander does, "(default: …)"', () => {
    const other: string[] = [];
    for (const c of all) for (const e of optionEntries(help(...c))) if (/\(default [^:]/.test(e)) other.push(`${c.join(' ')}: ${e}`);
    expect(other).toEqual([]);
  });

  it('gives every flag a help line', () => {
    const bare: string[] = [];
    // An entry is the flags, two or more spaces, then the description: a flag alone on its line has none.
    for (const c of all) for (const e of optionEntries(help(...c))) if (!/^\S.*? {2,}\S/.test(e)) bare.push(`${c.join(' ')}: ${e}`);
    expect(bare).toEqual([]);
  });

  it('offers --json and --quiet on every command', () => {
    const missing = all.filter((c) => {
      const text = help(...c);
      return !text.includes('--json') || !text.includes('-q, --quiet');
    });
    expect(missing.map((c) => c.join(' '))).toEqual([]);
  });

  it('uses --out for a file and --out-dir for a folder', () => {
    const wrong: string[] = [];
    for (const c of all)
      for (const e of optionEntries(help(...c))) {
        if (/--out <dir>/.test(e) || /--out-dir <file>/.test(e)) wrong.push(`${c.join(' ')}: ${e}`);
        if (/^--out <file>/.test(e)) wrong.push(`${c.join(' ')}: --out without its short form -o: ${e}`);
      }
    expect(wrong).toEqual([]);
  });
});

describe('optionEntries', () => {
  it('joins wrapped lines so a default on the next line is counted with its option', () => {
    const text = 'Usage: x\n\nOptions:\n  --a <n>   first (default 6)\n            (default: 6)\n  --b       second\n  -h, --help  help\n';
    expect(optionEntries(text)).toEqual(['--a <n>   first (default 6) (default: 6)', '--b       second', '-h, --help  help']);
  });
});
