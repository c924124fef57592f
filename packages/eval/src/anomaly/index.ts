export { SCORE_KINDS, anomalyScores, anomalyScoresAsync, defaultScoreKind, scoreOf } from './scores.js';
export type { AnomalyScoreOptions, AnomalyScores, ScoreKind } from './scores.js';
export { CALIBRATION_FORMAT, calibrateThreshold, checkFpr, flagScores } from './threshold.js';
export type { ThresholdCalibration } from './threshold.js';
export { readingScores, windowRows, windowStarts } from './windows.js';
export type { WindowAggregate } from './windows.js';
