/**
 * The command line of `npm run qa`, read strictly: a scenario name that is not one, an option that
 * is not one, or an option without its value is said as such, where a loose reading ran the wrong
 * thing (`--ulr` ignored: the run went to a throwaway local stack) or printed the usage without
 * saying what was wrong.
 */
export interface QaArgs {
  scenario: string;
  url: string | null;
  db: string | null;
  out: string | null;
  staff: string | null;
  short: boolean;
}

const VALUED = ['--url', '--db', '--out', '--staff'] as const;
type Valued = (typeof VALUED)[number];

function hasScheme(value: string, schemes: readonly string[]): boolean {
  try {
    return schemes.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The options read, or the one problem to tell the user (then the usage follows). */
export function parseQaArgs(
  args: readonly string[],
  scenarios: readonly string[],
): QaArgs | { problem: string } | { help: true } {
  if (args.includes('--help') || args.includes('-h')) return { help: true };
  const [scenario, ...rest] = args;
  if (scenario === undefined || scenario.startsWith('--')) return { problem: 'Name a scenario first.' };
  if (!scenarios.includes(scenario)) return { problem: `There is no scenario "${scenario}".` };
  const values: Record<Valued, string | null> = {
    '--url': null,
    '--db': null,
    '--out': null,
    '--staff': null,
  };
  let short = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--short') short = true;
    else if ((VALUED as readonly string[]).includes(arg)) {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) return { problem: `${arg} needs a value.` };
      values[arg as Valued] = value;
      i++;
    } else return { problem: `"${arg}" is not an option of npm run qa.` };
  }
  const url = values['--url'];
  // Chromium would only say "invalid URL" once the stack-free run had begun, or open a file path.
  if (url !== null && !hasScheme(url, ['http:', 'https:']))
    return { problem: `--url needs the app's address, as http(s)://…; "${url}" is not one.` };
  const db = values['--db'];
  if (db !== null && !hasScheme(db, ['postgres:', 'postgresql:']))
    return { problem: `--db needs a Postgres address, as postgres://…; "${db}" is not one.` };
  if (values['--db'] !== null && values['--url'] === null)
    return { problem: '--db goes with --url (a local run counts the rows of its own stack).' };
  return {
    scenario,
    url: values['--url'],
    db: values['--db'],
    out: values['--out'],
    staff: values['--staff'],
    short,
  };
}
