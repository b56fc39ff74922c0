/**
 * The browser tests drive Debian's Chromium (ensure-chromium.ts) and Debian's Firefox ESR: neither
 * playwright's nor puppeteer's own browser download works on a machine that reaches only the package
 * registries. Missing Firefox: as root, installed with apt-get; otherwise stop with the one command.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { ensureChromium } from './ensure-chromium.ts';

export const FIREFOX_PATH = process.env.CONSULT_FIREFOX ?? '/usr/bin/firefox-esr';
const FIREFOX_PACKAGES = ['firefox-esr'];

export function ensureFirefox(): void {
  if (existsSync(FIREFOX_PATH)) return;
  const command = `apt-get update && apt-get install -y ${FIREFOX_PACKAGES.join(' ')}`;
  if (os.userInfo().uid !== 0) {
    throw new Error(`Firefox ESR for the browser tests is missing: run \`sudo ${command}\` and try again`);
  }
  console.log(`Installing Firefox ESR for the browser tests: ${command}`);
  execFileSync(
    'bash',
    ['-c', `export DEBIAN_FRONTEND=noninteractive; (${command}) > /tmp/consult-apt-firefox.log 2>&1`],
    { stdio: 'inherit' },
  );
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(
      `apt-get finished but ${FIREFOX_PATH} is still missing: see /tmp/consult-apt-firefox.log`,
    );
  }
}

/** Both engines the e2e project runs in. */
export function ensureBrowsers(): void {
  ensureChromium();
  ensureFirefox();
}
