import { describe, expect, it } from 'vitest';
import { type ConsoleLike, consoleLogger } from './browser-adapters.ts';

function recordingConsole() {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push(`${level} ${args.map(String).join(' ')}`);
  const c: ConsoleLike = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { c, lines };
}

describe('consoleLogger', () => {
  it('writes what is at its level or above, with the prefix', () => {
    const { c, lines } = recordingConsole();
    const log = consoleLogger(c, 'warn', '[t]');
    log.debug('pushed batch', { size: 3 });
    log.info('started');
    log.warn('drain failed', { kind: 'network' });
    log.error('drain crashed');
    expect(lines).toEqual(['warn [t] drain failed [object Object]', 'error [t] drain crashed ']);
  });

  it('writes everything at debug', () => {
    const { c, lines } = recordingConsole();
    const log = consoleLogger(c, 'debug');
    log.debug('a');
    log.info('b');
    expect(lines).toEqual(['debug [sync] a ', 'info [sync] b ']);
  });
});
