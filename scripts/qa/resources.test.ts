import { describe, expect, it } from 'vitest';
import { RunResources } from './resources.ts';

describe('RunResources', () => {
  it('stops what started, newest first, even when one fails to stop, and only once', async () => {
    const stopped: string[] = [];
    const warnings: string[] = [];
    const resources = new RunResources((line) => warnings.push(line));
    const named = (name: string, fails = false) => ({
      stop: async () => {
        stopped.push(name);
        if (fails) throw new Error(`${name} stuck`);
      },
    });
    resources.add(named('stack'));
    expect(resources.add(null)).toBeNull();
    resources.add(named('app', true));
    resources.add(named('browser'));
    // Ctrl-C and the run's own end may both ask.
    await Promise.all([resources.stopAll(), resources.stopAll()]);
    expect(stopped).toEqual(['browser', 'app', 'stack']);
    expect(warnings).toEqual(['could not stop: app stuck']);
  });
});
