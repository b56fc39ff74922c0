/**
 * CI's run of `npm run qa`: the command itself, as QA types it, for the short lost-response storm
 * and the short kiosk morning against the e2e stack (`--url` and `--db`, so the server's rows are
 * counted); each must report everything arrived exactly once and exit 0.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { e2e } from './browser.ts';

/** Runs `npm run qa -- <args>`; resolves with its exit code and everything it printed. */
function npmRunQa(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'qa', '--', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function scenario(name: string): Promise<string> {
  const { code, output } = await npmRunQa([
    name,
    '--short',
    '--url',
    e2e().appUrl,
    '--db',
    e2e().stack.dbUrl,
    '--out',
    path.join(e2e().artifactsDir, 'qa'),
  ]);
  expect(code, output).toBe(0);
  expect(output).toContain(`Scenario ${name}: PASS, everything arrived exactly once`);
  expect(output).toContain('Server rows counted in the stack database.');
  return output;
}

it('npm run qa -- lost-response-storm --short: every write arrives exactly once, the resends as duplicates', async () => {
  const output = await scenario('lost-response-storm');
  expect(output).toMatch(/server answers: .*duplicate [1-9]/);
}, 600_000);

it('npm run qa -- kiosk-morning --short: walk-ins at a real kiosk through link drops arrive exactly once', async () => {
  const output = await scenario('kiosk-morning');
  expect(output).toContain('reception sets the tablet up as a kiosk');
  expect(output).toMatch(/[1-9]\d* of \d+ walk-ins came while the link was down/);
  expect(output).toMatch(/server answers: applied \d+/);
}, 600_000);
