/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…" on its first tensor. We
 * report the backend ourselves (initEngine returns it) and suggest faster ones in our own words, so that banner is
 * turned off at its source: the backend's first-use flag. Every other tfjs warning still prints.
 */
import { tf } from './tf.js';

export function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
