/**
 * Said above a list of clinic times when the phone's clock is in another zone (clinic-time.ts): the
 * times below are India time, and the phone's own zone is named, so nobody takes them for local.
 */
import { deviceTimeZone, zoneDiffers } from '../i18n/clinic-time.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';

export function ClinicZoneNote({ at }: { at: Date | null }) {
  const { t } = useI18n();
  if (!at || !zoneDiffers(at)) return null;
  return <p className="hint">{t('time.zoneNote', { zone: deviceTimeZone() })}</p>;
}
