import { Dexie } from 'dexie';
import { expect, it } from 'vitest';
import { copyQaFaultsForWorker, QA_MODE_DB, readQaFaultsInWorker } from './qa-fault-mirror.ts';

it("reads nothing, and creates no database, where QA mode was never on; then follows the page's copy", async () => {
  expect(await readQaFaultsInWorker()).toBeNull();
  expect(await Dexie.exists(QA_MODE_DB)).toBe(false);
  await copyQaFaultsForWorker('{"offline":true}');
  expect(await readQaFaultsInWorker()).toBe('{"offline":true}');
  await copyQaFaultsForWorker(null);
  expect(await readQaFaultsInWorker()).toBeNull();
});
