/**
 * The flag thresholds of a run, in `anomaly-calibration.json`: one calibration per (score kind, FPR, settings),
 * each computed once on the run's held-out normal data (its validation split) and reused by every later `score`.
 * The file is replaced atomically, so a crash never leaves half a calibration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import type { ThresholdCalibration } from '@latentkit/eval';

export const CALIBRATIONS_FORMAT = 'latentkit.anomaly-calibrations/1';

export const calibrationFile = (runDir: string) => path.join(path.resolve(runDir), 'anomaly-calibration.json');

export function readCalibrations(runDir: string): ThresholdCalibration[] {
  const file = calibrationFile(runDir);
  if (!fs.existsSync(file)) return [];
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: string; calibrations?: ThresholdCalibration[] };
    if (doc.format !== CALIBRATIONS_FORMAT || !Array.isArray(doc.calibrations)) throw new Error(`expected format ${CALIBRATIONS_FORMAT}`);
    return doc.calibrations;
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not a latentkit calibration file (${(e as Error).message}); delete it to calibrate again`, { file });
  }
}

const sameSettings = (a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

export function findCalibration(
  list: readonly ThresholdCalibration[],
  scoreKind: string,
  fpr: number,
  settings: Readonly<Record<string, unknown>>,
): ThresholdCalibration | undefined {
  return list.find((c) => c.scoreKind === scoreKind && c.fpr === fpr && sameSettings(c.settings, settings));
}

/** Adds (or replaces) one calibration and rewrites the file atomically. */
export function saveCalibration(runDir: string, calibration: ThresholdCalibration): void {
  const others = readCalibrations(runDir).filter(
    (c) => !(c.scoreKind === calibration.scoreKind && c.fpr === calibration.fpr && sameSettings(c.settings, calibration.settings ?? {})),
  );
  writeFileAtomic(calibrationFile(runDir), `${JSON.stringify({ format: CALIBRATIONS_FORMAT, calibrations: [...others, calibration] }, null, 2)}\n`);
}
