/**
 * The local gateway as the testing screen sees it: first a probe (a GET of `/__qa/faults` that must
 * answer the settings as JSON), then the settings and per-path request counts it reads back.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FaultSettings } from '../../../supabase/local/fault-settings.ts';
import type { FaultPatch } from './fault-form.ts';
import { type GatewayAnswer, type GatewayStats, gatewayClient, qaBaseUrl } from './gateway-client.ts';

export type GatewayState =
  | { kind: 'checking' }
  | { kind: 'unavailable' }
  /** No answer because this device is offline: says nothing about whether the stack runs. */
  | { kind: 'offline' }
  | { kind: 'ready'; faults: FaultSettings; stats: GatewayStats | null };

/**
 * What a probe found. Offline, every probe fails whether the stack runs or not: "needs the local
 * stack (npm start)" sent QA to restart a stack that was running.
 */
export function probeResult(
  faults: GatewayAnswer<FaultSettings>,
  stats: GatewayAnswer<GatewayStats>,
  online: boolean,
): GatewayState {
  if (faults.kind === 'ok')
    return { kind: 'ready', faults: faults.value, stats: stats.kind === 'ok' ? stats.value : null };
  return online ? { kind: 'unavailable' } : { kind: 'offline' };
}

export interface FaultGateway {
  state: GatewayState;
  /** Probes again (after `npm start`, or when the device is back online). */
  check(): void;
  /** Reads the settings and the counts again. */
  refresh(): Promise<boolean>;
  apply(patch: FaultPatch): Promise<GatewayAnswer<FaultSettings>>;
  reset(): Promise<GatewayAnswer<FaultSettings>>;
}

export function useFaultGateway(): FaultGateway {
  const client = useMemo(() => {
    const base = qaBaseUrl(import.meta.env.VITE_SUPABASE_URL);
    return base ? gatewayClient(base) : null;
  }, []);
  const [state, setState] = useState<GatewayState>({ kind: 'checking' });
  const [probe, setProbe] = useState(0);

  useEffect(() => {
    // `probe` re-runs this effect on check().
    void probe;
    if (!client) {
      setState({ kind: 'unavailable' });
      return;
    }
    let live = true;
    setState({ kind: 'checking' });
    void Promise.all([client.getFaults(), client.getStats()]).then(([faults, stats]) => {
      if (live) setState(probeResult(faults, stats, navigator.onLine));
    });
    return () => {
      live = false;
    };
  }, [client, probe]);

  useEffect(() => {
    // Back online: look again, so the section does not stay on what offline made it say.
    const again = () => setProbe((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, []);

  const withFaults = useCallback((faults: FaultSettings, stats?: GatewayStats | null) => {
    setState((s) => ({
      kind: 'ready',
      faults,
      stats: stats !== undefined ? stats : s.kind === 'ready' ? s.stats : null,
    }));
  }, []);

  const refresh = useCallback(async () => {
    if (!client) return false;
    const [faults, stats] = await Promise.all([client.getFaults(), client.getStats()]);
    if (faults.kind !== 'ok') return false;
    withFaults(faults.value, stats.kind === 'ok' ? stats.value : null);
    return stats.kind === 'ok';
  }, [client, withFaults]);

  const apply = useCallback(
    async (patch: FaultPatch): Promise<GatewayAnswer<FaultSettings>> => {
      if (!client) return { kind: 'unreachable', detail: 'no gateway' };
      const answer = await client.putFaults(patch);
      if (answer.kind === 'ok') withFaults(answer.value);
      return answer;
    },
    [client, withFaults],
  );

  const reset = useCallback(async (): Promise<GatewayAnswer<FaultSettings>> => {
    if (!client) return { kind: 'unreachable', detail: 'no gateway' };
    const answer = await client.resetFaults();
    if (answer.kind === 'ok') withFaults(answer.value);
    return answer;
  }, [client, withFaults]);

  const check = useCallback(() => setProbe((n) => n + 1), []);

  return { state, check, refresh, apply, reset };
}
