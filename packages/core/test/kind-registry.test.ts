import { describe, expect, it } from 'vitest';
import { KindRegistry, LatentkitError } from '../src/base.js';

describe('KindRegistry', () => {
  const registry = () => {
    const r = new KindRegistry<{ kind: string; cliName: string; summary: string }>(
      'widget kind',
      (k) => k.kind,
      (k) => k.cliName,
    );
    r.register({ kind: 'softVq', cliName: 'soft-vq', summary: 'a' });
    r.register({ kind: 'vq', cliName: 'vq', summary: 'b' });
    return r;
  };

  it('lists kinds in registration order and finds them by either name', () => {
    const r = registry();
    expect(r.all().map((k) => k.kind)).toEqual(['softVq', 'vq']);
    expect(r.get('vq', 'kind').summary).toBe('b');
    expect(r.byCliName('soft-vq', '--widget').kind).toBe('softVq');
  });

  it('refuses a taken name or CLI name', () => {
    const r = registry();
    expect(() => r.register({ kind: 'vq', cliName: 'other', summary: '' })).toThrow('widget kind "vq" (other) is already registered');
    expect(() => r.register({ kind: 'other', cliName: 'soft-vq', summary: '' })).toThrow(LatentkitError);
  });

  it('names the closest kind for a typo, at the given field', () => {
    const r = registry();
    expect(() => r.get('softvq', 'model.bottleneck.kind')).toThrow(
      'model.bottleneck.kind: expected one of "softVq", "vq", got "softvq"; did you mean "softVq"?',
    );
    expect(() => r.byCliName('zzz', '--widget')).toThrow('--widget: expected one of "soft-vq", "vq", got "zzz"');
  });
});
