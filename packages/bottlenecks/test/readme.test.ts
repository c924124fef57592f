/** The README's example is examples/quickstart.ts, verbatim, and it runs and learns. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('is examples/quickstart.ts verbatim', () => {
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = fs.readFileSync(new URL('../examples/quickstart.ts', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
  });

  it('trains, and its inference spec replays the inference-mode code', async () => {
    const { result } = await import('../examples/quickstart.js');
    const first = result.losses[0]!;
    const last = result.losses.at(-1)!;
    expect(last).toBeLessThan(first / 4);
    expect(result.replayError).toBeLessThan(1e-5);
    expect(result.stats.perplexity as number).toBeGreaterThan(1);
  });
});
