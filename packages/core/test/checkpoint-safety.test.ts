/**
 * The attacks a fault probe made on checkpoint folders (issue 21, item 3) and the crash leftovers (items 5, 6): each
 * must end in a CHECKPOINT_ERROR naming the file and the entry, never in bytes from outside weights.bin.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LatentkitError,
  checkpointExists,
  cleanStaleTemps,
  loadCheckpoint,
  readCheckpointConfig,
  resolveCheckpointDir,
  saveCheckpoint,
  tf,
  writeFileAtomic,
} from '../src/index.js';
import { saveLegacyCheckpoint } from './helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-ckpt-safety-'));

/** A checkpoint in the legacy layout (weights.json with byte offsets) of two float32 weights (24 + 16 bytes) and one int32 (8 bytes). */
async function sample(): Promise<string> {
  const dir = path.join(tmp(), 'ckpt');
  await saveLegacyCheckpoint(dir, {
    config: { kind: 'test' },
    weights: {
      'enc/w': tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      'enc/b': tf.tensor1d([7, 8, 9, 10]),
      ids: tf.tensor1d([1, 2], 'int32'),
    },
  });
  return dir;
}

type Manifest = { format: string; sha256?: string; weights: Record<string, unknown>[] };

function editManifest(dir: string, edit: (m: Manifest) => void): void {
  const file = path.join(dir, 'weights.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest));
}

function checkpointError(fn: () => unknown): LatentkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentkitError);
    expect((e as LatentkitError).code).toBe('CHECKPOINT_ERROR');
    return e as LatentkitError;
  }
  throw new Error('expected a CHECKPOINT_ERROR');
}

describe('checkpoint manifests are validated', () => {
  it('records a SHA-256 of weights.bin and loads an untouched folder', async () => {
    const dir = await sample();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'weights.json'), 'utf8')) as Manifest;
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { weights } = loadCheckpoint(dir);
    expect(Array.from(weights['enc/b']!.dataSync())).toEqual([7, 8, 9, 10]);
    tf.dispose(Object.values(weights));
  });

  it('refuses a negative offset (which once read process memory)', async () => {
    const dir = await sample();
    editManifest(dir, (m) => {
      m.weights[0]!.offset = -2176;
    });
    const e = checkpointError(() => loadCheckpoint(dir));
    expect(e.message).toContain('weights.json');
    expect(e.message).toMatch(/entry 0 \("enc\/w"\): "offset" must be a non-negative integer, got -2176/);
  });

  it('refuses a null or fractional offset', async () => {
    for (const offset of [null, 1.5, '0']) {
      const dir = await sample();
      editManifest(dir, (m) => {
        m.weights[1]!.offset = offset;
      });
      expect(checkpointError(() => loadCheckpoint(dir)).message).toMatch(/entry 1 \("enc\/b"\): "offset" must be a non-negative integer/);
    }
  });

  it('refuses overlapping byte ranges', async () => {
    const dir = await sample();
    // enc/b moved onto the end of enc/w, ids after it: sizes still add up to the file, but two ranges overlap
    editManifest(dir, (m) => {
      m.weights[1]!.offset = 16;
    });
    expect(checkpointError(() => loadCheckpoint(dir)).message).toMatch(/overlap weight "enc\/w"/);
  });

  it('refuses a range past the end of the file, naming weights.bin', async () => {
    const dir = await sample();
    editManifest(dir, (m) => {
      m.weights[2]!.offset = 48;
    });
    const e = checkpointError(() => loadCheckpoint(dir));
    expect(e.message).toMatch(/weights\.bin: truncated; weight "ids" .* needs bytes 48\.\.56, file has 48/);
  });

  it('refuses a gap and a file longer than the entries cover', async () => {
    const dir = await sample();
    fs.appendFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(4));
    expect(checkpointError(() => loadCheckpoint(dir)).message).toMatch(/52 bytes, but the entries .* cover 48/);
    const other = await sample();
    editManifest(other, (m) => {
      m.weights.splice(1, 1);
    });
    expect(checkpointError(() => loadCheckpoint(other)).message).toMatch(/entry 1 \("ids"\): starts at byte 40, but the previous weight ends at 24/);
  });

  it('refuses a wrong, empty-dimension or non-integer shape, and a shape the caller does not expect', async () => {
    for (const [shape, pattern] of [
      [[2, -3], /"shape" must be a list of positive integers/],
      [[0, 6], /"shape" must be a list of positive integers/],
      [null, /"shape" must be a list of positive integers/],
      [[3, 3], /weights\.bin: truncated|overlap/],
    ] as const) {
      const dir = await sample();
      editManifest(dir, (m) => {
        m.weights[0]!.shape = shape;
      });
      expect(checkpointError(() => loadCheckpoint(dir)).message).toMatch(pattern);
    }
    // a shape that tiles the file but is not the model's: the caller's checkEntry refuses it
    const dir = await sample();
    editManifest(dir, (m) => {
      m.weights[0]!.shape = [3, 2];
    });
    const expected: Record<string, number[]> = { 'enc/w': [2, 3], 'enc/b': [4], ids: [2] };
    const checkEntry = (s: { name: string; shape: readonly number[] }) =>
      expected[s.name]?.join() === s.shape.join() ? undefined : `shape [${s.shape}], expected [${expected[s.name]}]`;
    expect(checkpointError(() => loadCheckpoint(dir, { checkEntry })).message).toMatch(/entry 0 \("enc\/w"\): shape \[3,2\], expected \[2,3\]/);
  });

  it('refuses an unknown name (through checkEntry), a duplicate name and an unknown dtype', async () => {
    const dir = await sample();
    editManifest(dir, (m) => {
      m.weights[2]!.name = 'evil';
    });
    const known = new Set(['enc/w', 'enc/b', 'ids']);
    const checkEntry = (s: { name: string }) => (known.has(s.name) ? undefined : 'not a weight of this model');
    expect(checkpointError(() => loadCheckpoint(dir, { checkEntry })).message).toMatch(/entry 2 \("evil"\): not a weight of this model/);
    const dup = await sample();
    editManifest(dup, (m) => {
      m.weights[1]!.name = 'enc/w';
    });
    expect(checkpointError(() => loadCheckpoint(dup)).message).toMatch(/entry 1 \("enc\/w"\): the name appears twice/);
    const dtype = await sample();
    editManifest(dtype, (m) => {
      m.weights[2]!.dtype = 'float64';
    });
    expect(checkpointError(() => loadCheckpoint(dtype)).message).toMatch(/"dtype" must be "float32" or "int32", got "float64"/);
  });

  it('refuses a tampered byte (hash mismatch) but loads an old folder without a hash', async () => {
    const dir = await sample();
    const bin = path.join(dir, 'weights.bin');
    const bytes = fs.readFileSync(bin);
    bytes[5] = (bytes[5] as number) ^ 0x40;
    fs.writeFileSync(bin, bytes);
    expect(checkpointError(() => loadCheckpoint(dir)).message).toMatch(/weights\.bin: SHA-256 [0-9a-f]{64} does not match/);
    editManifest(dir, (m) => {
      delete m.sha256;
    });
    const { weights } = loadCheckpoint(dir);
    expect(weights['enc/w']!.shape).toEqual([2, 3]);
    tf.dispose(Object.values(weights));
  });

  it('refuses a symlink to a file outside the folder, allows one inside it', async () => {
    const dir = await sample();
    const outside = path.join(tmp(), 'weights.bin');
    fs.renameSync(path.join(dir, 'weights.bin'), outside);
    fs.symlinkSync(outside, path.join(dir, 'weights.bin'));
    expect(checkpointError(() => loadCheckpoint(dir)).message).toMatch(/weights\.bin: is a symlink to .* outside .*; refusing to read it/);
    const inside = await sample();
    fs.renameSync(path.join(inside, 'weights.bin'), path.join(inside, 'data.bin'));
    fs.symlinkSync('data.bin', path.join(inside, 'weights.bin'));
    tf.dispose(Object.values(loadCheckpoint(inside).weights));
  });

  it('refuses a checkpoint folder that is a symlink out of the folder it must stay within', async () => {
    const run = tmp();
    const real = await sample();
    fs.symlinkSync(real, path.join(run, 'checkpoint'));
    expect(checkpointError(() => readCheckpointConfig(path.join(run, 'checkpoint'), { within: run })).message).toMatch(/outside/);
    expect(readCheckpointConfig(path.join(run, 'checkpoint'))).toEqual({ kind: 'test' });
  });
});

describe('crash leftovers', () => {
  it('falls back to checkpoint.old when only it survived, and a save then keeps it until the new folder is in', async () => {
    const dir = await sample();
    fs.renameSync(dir, `${dir}.old`);
    expect(checkpointExists(dir)).toBe(true);
    expect(resolveCheckpointDir(dir)).toBe(`${path.resolve(dir)}.old`);
    expect(readCheckpointConfig(dir)).toEqual({ kind: 'test' });
    tf.dispose(Object.values(loadCheckpoint(dir).weights));
    await saveCheckpoint(dir, { config: { kind: 'new' }, weights: { a: tf.scalar(1) } });
    expect(resolveCheckpointDir(dir)).toBe(path.resolve(dir));
    expect(fs.existsSync(`${dir}.old`)).toBe(false);
    expect(checkpointExists(path.join(tmp(), 'none'))).toBe(false);
  });

  it('removes temporary folders of dead writers on the next save, keeps those of live ones', async () => {
    const root = tmp();
    const dir = path.join(root, 'checkpoint');
    // a PID that surely is not running: a child that has exited
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const deadTemp = path.join(root, `.checkpoint.${dead}.0123abcd.tmp`);
    const liveTemp = path.join(root, `.checkpoint.${process.ppid}.89abcdef.tmp`);
    const unrelated = path.join(root, `.other.${dead}.0123abcd.tmp`);
    for (const d of [deadTemp, liveTemp, unrelated]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'weights.bin'), Buffer.alloc(1024));
    }
    await saveCheckpoint(dir, { config: {}, weights: { a: tf.scalar(1) } });
    expect(fs.readdirSync(root).sort()).toEqual([path.basename(unrelated), path.basename(liveTemp), 'checkpoint'].sort());
    // a live writer's temporary goes too once it is older than the threshold (a hung writer)
    const later = Date.now() + 25 * 3600 * 1000;
    expect(cleanStaleTemps(dir, { now: later })).toEqual([liveTemp]);
  });

  it('removes a dead writer’s temporary file on the next writeFileAtomic of the same file', () => {
    const root = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const leftover = path.join(root, `.run.json.${dead}.00ff00ff.tmp`);
    fs.writeFileSync(leftover, '{"half');
    writeFileAtomic(path.join(root, 'run.json'), '{}');
    expect(fs.readdirSync(root)).toEqual(['run.json']);
  });
});

describe('saving', () => {
  it('refuses to write what loading would refuse: an empty name or an empty weight', async () => {
    const dir = path.join(tmp(), 'ckpt');
    await expect(saveCheckpoint(dir, { config: {}, weights: { '': tf.scalar(1) } })).rejects.toThrow(/non-empty weights with non-empty names/);
    await expect(saveCheckpoint(dir, { config: {}, weights: { w: tf.zeros([0, 3]) } })).rejects.toThrow(/weight "w" of shape \[0,3\]/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
