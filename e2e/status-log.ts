/**
 * Every text the header's sync status shows, recorded in the page by a MutationObserver: a state that
 * lasts a few milliseconds ("sign in to send" between a 401 and the sign-in) is caught without timing
 * anything. Plain functions for `page.evaluate`, so Playwright and Puppeteer pages share them.
 */

declare global {
  interface Window {
    __consultStatusLog?: string[];
  }
}

/** Starts recording (in the page); the current text is the first entry. */
export function startStatusLog(): void {
  const region = document.querySelector('[aria-label="Sync status"]');
  if (!region) throw new Error('no sync status region on the page');
  const log: string[] = [];
  window.__consultStatusLog = log;
  const record = () => {
    const text = (region as HTMLElement).innerText.trim();
    if (log[log.length - 1] !== text) log.push(text);
  };
  record();
  new MutationObserver(record).observe(region, { subtree: true, childList: true, characterData: true });
}

/** What was recorded since `startStatusLog` (in the page). */
export function readStatusLog(): string[] {
  return window.__consultStatusLog ?? [];
}
