/**
 * A walk-in registered twice with the same details (the desk did not find them, or two people of
 * one name share a phone and a birth year): "Is this you?" offered two identical buttons, and the
 * person could not tell which was theirs. Each now says when it was registered, and nothing more.
 */
import { expect, it } from 'vitest';
import { browserPerFile } from './browser.ts';
import { register, setUpKiosk, tabletContext, waitForHome } from './kiosk-driver.ts';

const { context } = browserPerFile();

it('tells two registrations of the same name, phone and birth year apart on "Is this you?"', async () => {
  const page = await setUpKiosk(await context((b) => tabletContext(b)));
  const twice = {
    fullName: 'Sunaina Dohri',
    dateOfBirth: '1979-02-28',
    sex: 'Female',
    phone: '+91 93456-01234',
  } as const;
  for (let i = 0; i < 2; i++) {
    await register(page, twice);
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await waitForHome(page);
  }
  await page.getByRole('button', { name: 'I have been here before' }).click();
  await page.getByLabel('Phone number', { exact: true }).fill('9345601234');
  await page.getByLabel('Year of birth (for example 1984)').fill('1979');
  await page.getByRole('button', { name: 'Find me' }).click();
  await page.getByText('More than one registration matches.', { exact: false }).waitFor();
  const matches = page.getByRole('button', { name: /^Sunaina, born 1979, registered / });
  await expect.poll(() => matches.count()).toBe(2);
  const names = await matches.allInnerTexts();
  expect(new Set(names).size).toBe(2);
  // Nothing more of the person than the first name, the year and the registration.
  for (const name of names) {
    expect(name).not.toContain('Dohri');
    expect(name).not.toContain('1234');
  }
});
