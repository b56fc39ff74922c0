import { expect, it } from 'vitest';
import { browserPerFile, e2e } from './browser.ts';

const { phone } = browserPerFile();

it('serves the built app, which renders its heading', async () => {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(e2e().appUrl);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Consult');
});

it('is installable: Chromium reports no installability errors and every manifest icon loads', async () => {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(e2e().appUrl);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are incognito profiles, where Chromium never offers installation: that one
  // error is about the test browser, not the app.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  const manifest = (await (await fetch(new URL('manifest.webmanifest', e2e().appUrl))).json()) as {
    display: string;
    icons: Array<{ src: string; purpose?: string }>;
  };
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons) {
    const res = await fetch(new URL(icon.src, e2e().appUrl));
    expect(res.headers.get('content-type'), icon.src).toBe('image/png');
  }
});
