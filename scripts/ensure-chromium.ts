/**
 * Browser tests drive Debian's Chromium (playwright's own browser download does not work offline).
 * If it is missing: as root, install it with apt-get; otherwise stop with the one command to run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

export const CHROMIUM_PATH = process.env.CONSULT_CHROMIUM ?? '/usr/bin/chromium';
/** Chromium, and a Devanagari font so Hindi screens render (and screenshot) as text, not boxes. */
const PACKAGES = ['chromium', 'fonts-lohit-deva'];

export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH) && hasDevanagariFont()) return;
  // A browser of the user's choice that is not there: installing Debian's would not put it there.
  if (process.env.CONSULT_CHROMIUM && !existsSync(CHROMIUM_PATH))
    throw new Error(`CONSULT_CHROMIUM names ${CHROMIUM_PATH}, which does not exist: fix or unset it`);
  const command = `apt-get update && apt-get install -y ${PACKAGES.join(' ')}`;
  if (os.userInfo().uid !== 0) {
    throw new Error(`Chromium for the browser tests is missing: run \`sudo ${command}\` and try again`);
  }
  console.log(`Installing Chromium for the browser tests: ${command}`);
  execFileSync(
    'bash',
    ['-c', `export DEBIAN_FRONTEND=noninteractive; (${command}) > /tmp/consult-apt.log 2>&1`],
    {
      stdio: 'inherit',
    },
  );
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`apt-get finished but ${CHROMIUM_PATH} is still missing: see /tmp/consult-apt.log`);
  }
}

function hasDevanagariFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=hi'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}
