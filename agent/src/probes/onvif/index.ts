import { isIPv4 } from 'node:net';
import type { Probe, ProbeOutcome } from '../probe.js';
import { discoverCameras } from './discovery.js';
import { blankFields } from './fields.js';
import { SilenceTracker } from './grace.js';
import { onvifRules } from '@branchwatch/contract';
import type { OnvifOptions } from './options.js';
import { parseTarget } from './target.js';

export { discoverCameras } from './discovery.js';

export interface OnvifProbeDeps {
  /** The agent's clock, for clock drift and the grace period. */
  now?: () => number;
}

/**
 * ONVIF cameras (Profile S): is the device there, who is it, is its clock right, does it offer
 * a stream and a snapshot that is really a JPEG. In `discover` mode: which cameras answer a
 * WS-Discovery Probe on the branch LAN. See README.md for fields and failure classes.
 */
export function createOnvifProbe(deps: OnvifProbeDeps = {}): Probe<OnvifOptions, 'onvif'> {
  const now = deps.now ?? Date.now;
  // Per-check memory between rounds (the grace period), owned by this probe instance.
  const silence = new SilenceTracker(now);
  return {
    type: 'onvif',
    ...onvifRules,
    blankFields,
    async run(check, signal) {
      if (check.options.mode === 'discover') return discover(check.target, check.options, signal);
      const address = parseTarget(check.target);
      if (typeof address === 'string') {
        return { status: 'failed', reason: address, fields: blankFields() };
      }
      // The ONVIF client (the onvif package and its XML libraries) is loaded with the first
      // device round, so that an agent without cameras does not carry it.
      const { deviceRound } = await import('./device-round.js');
      return deviceRound({
        checkId: check.id,
        address,
        options: check.options,
        signal,
        silence,
        now,
      });
    },
  };
}

export const onvifProbe = createOnvifProbe();

async function discover(
  target: string,
  options: OnvifOptions,
  signal: AbortSignal,
): Promise<ProbeOutcome<'onvif'>> {
  if (!isIPv4(target)) {
    const reason = 'discover mode needs the IPv4 address of an agent interface (or 0.0.0.0)';
    return { status: 'failed', reason, fields: blankFields() };
  }
  try {
    const found = await discoverCameras({
      interfaceAddress: target,
      timeoutMs: options.discoveryTimeoutMs,
      signal,
    });
    return {
      status: 'ok',
      fields: { ...blankFields(), discovered: found.devices.length },
      devices: found.devices,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { status: 'failed', reason: `discovery failed: ${code}`, fields: blankFields() };
  }
}
