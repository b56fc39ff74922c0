import { describe, expect, it } from 'vitest';
import { parseQaArgs } from './args.ts';

const NAMES = ['offline-booking', 'kiosk-morning'];

describe('parseQaArgs', () => {
  it('reads a scenario and its options', () => {
    expect(
      parseQaArgs(['kiosk-morning', '--url', 'https://x.test', '--db', 'postgres://db', '--short'], NAMES),
    ).toEqual({
      scenario: 'kiosk-morning',
      url: 'https://x.test',
      db: 'postgres://db',
      out: null,
      staff: null,
      short: true,
    });
    expect(parseQaArgs(['offline-booking'], NAMES)).toMatchObject({ scenario: 'offline-booking', url: null });
  });

  it('answers --help (or -h) with the usage alone', () => {
    expect(parseQaArgs(['--help'], NAMES)).toEqual({ help: true });
    expect(parseQaArgs(['kiosk-morning', '-h'], NAMES)).toEqual({ help: true });
  });

  it('says what is wrong instead of running something else', () => {
    expect(parseQaArgs([], NAMES)).toEqual({ problem: 'Name a scenario first.' });
    expect(parseQaArgs(['--short'], NAMES)).toEqual({ problem: 'Name a scenario first.' });
    expect(parseQaArgs(['nonsense'], NAMES)).toEqual({ problem: 'There is no scenario "nonsense".' });
    expect(parseQaArgs(['kiosk-morning', '--ulr', 'https://x.test'], NAMES)).toEqual({
      problem: '"--ulr" is not an option of npm run qa.',
    });
    expect(parseQaArgs(['kiosk-morning', '--url'], NAMES)).toEqual({ problem: '--url needs a value.' });
    expect(parseQaArgs(['kiosk-morning', '--out', '--short'], NAMES)).toEqual({
      problem: '--out needs a value.',
    });
    expect(parseQaArgs(['kiosk-morning', '--url', 'localhost:4173'], NAMES)).toEqual({
      problem: `--url needs the app's address, as http(s)://…; "localhost:4173" is not one.`,
    });
    expect(parseQaArgs(['kiosk-morning', '--url', 'https://x.test', '--db', 'db.local'], NAMES)).toEqual({
      problem: '--db needs a Postgres address, as postgres://…; "db.local" is not one.',
    });
    expect(parseQaArgs(['kiosk-morning', '--db', 'postgres://db'], NAMES)).toEqual({
      problem: '--db goes with --url (a local run counts the rows of its own stack).',
    });
  });
});
