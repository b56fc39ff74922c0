/** Deterministic randomness for tests: a replayed seed gives the same ids, jitter and faults. */

/** mulberry32: small, fast, good enough for test schedules. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RFC 4122 version-4 uuids from a seed (zod's uuid check wants the version and variant bits). */
export function seededIds(seed: number): () => string {
  const random = seededRandom(seed);
  return () => {
    const hex: string[] = [];
    for (let i = 0; i < 32; i++) hex.push(Math.floor(random() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
}

/** fast-check seed: FC_SEED replays a failure; otherwise a fixed seed keeps CI deterministic. */
export function propertySeed(fallback = 20240611): number {
  const fromEnv = typeof process !== 'undefined' ? process.env.FC_SEED : undefined;
  return fromEnv ? Number(fromEnv) : fallback;
}

/** FC_RUNS scales the property tests up for a soak run. */
export function propertyRuns(fallback: number): number {
  const fromEnv = typeof process !== 'undefined' ? process.env.FC_RUNS : undefined;
  return fromEnv ? Number(fromEnv) : fallback;
}
