/**
 * Renders public/favicon.svg into the PNG icons the web manifest names (run once after changing the
 * SVG: `npx tsx scripts/make-icons.ts`; the PNGs are committed). Uses the same Debian Chromium as the
 * browser tests, so no image library is needed.
 */
import fs from 'node:fs/promises';
import { launchBrowser } from '../e2e/browser.ts';

const svg = await fs.readFile('public/favicon.svg', 'utf8');
const icons = [
  { file: 'public/pwa-192x192.png', size: 192, maskable: false },
  { file: 'public/pwa-512x512.png', size: 512, maskable: false },
  { file: 'public/apple-touch-icon-180x180.png', size: 180, maskable: true },
  // Maskable: the platform crops to a circle or squircle, so the art sits inside the 80% safe zone
  // on a full-bleed background.
  { file: 'public/maskable-icon-512x512.png', size: 512, maskable: true },
];
const browser = await launchBrowser();
const page = await browser.newPage();
for (const icon of icons) {
  await page.setViewportSize({ width: icon.size, height: icon.size });
  const inner = icon.maskable ? Math.round(icon.size * 0.8) : icon.size;
  const art = svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `);
  await page.setContent(
    `<body style="margin:0;display:grid;place-items:center;width:${icon.size}px;height:${icon.size}px;background:${
      icon.maskable ? '#0b5cab' : 'transparent'
    }">${art}</body>`,
  );
  await page.screenshot({ path: icon.file, omitBackground: !icon.maskable });
}
await browser.close();
console.log(`wrote ${icons.map((i) => i.file).join(', ')}`);
