/**
 * What the QA screen says after an import: how many writes went in, or, in words, why the file was
 * refused and what to do instead (the refusal's code alone told QA nothing).
 */
import type { QaMessageKey } from '../../i18n/messages-qa-en.ts';
import type { QaTranslate } from '../../i18n/qa-i18n.ts';
import { type ImportRefusal, type ImportResult, MAX_IMPORT_BYTES } from './queue-import.ts';

const REFUSALS: Readonly<Record<ImportRefusal, QaMessageKey>> = {
  'too-big': 'qa.log.importRefused.too-big',
  unreadable: 'qa.log.importRefused.unreadable',
  'not-json': 'qa.log.importRefused.not-json',
  'hostile-keys': 'qa.log.importRefused.hostile-keys',
  'not-an-export': 'qa.log.importRefused.not-an-export',
  'wrong-version': 'qa.log.importRefused.wrong-version',
  redacted: 'qa.log.importRefused.redacted',
  'write-failed': 'qa.log.importRefused.write-failed',
};

export function importMessage(t: QaTranslate, result: ImportResult): { ok: boolean; text: string } {
  if (result.ok) return { ok: true, text: t('qa.log.imported', { count: result.written }) };
  const key = REFUSALS[result.reason];
  if (result.reason === 'write-failed')
    return { ok: false, text: t(key, { count: result.written, detail: result.detail }) };
  return { ok: false, text: t(key, { max: MAX_IMPORT_BYTES / (1024 * 1024) }) };
}
