/** Row and mutation ids are generated on the device (docs/architecture.md, "Data model"): v4 UUIDs. */
export function newUuid(): string {
  // randomUUID exists only in secure contexts; a phone opening the app over plain http on a LAN has
  // getRandomValues but not randomUUID.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
