import { performance } from 'node:perf_hooks';
import type { OnvifDevice, OnvifFailure } from '@branchwatch/contract';
import type { ProbeOutcome } from '../probe.js';
import { OnvifSession, type MediaProfile } from './client.js';
import { OnvifCallError } from './errors.js';
import type { SilenceTracker } from './grace.js';
import type { OnvifOptions } from './options.js';
import { fetchSnapshot } from './snapshot.js';
import type { DeviceAddress } from './target.js';
import { blankFields } from './fields.js';

const blankDevice = (): OnvifDevice => ({
  manufacturer: null,
  model: null,
  firmware: null,
  serial: null,
  profileNames: [],
  profileToken: null,
  streamUri: null,
  snapshotUri: null,
});

export interface RoundContext {
  checkId: string;
  address: DeviceAddress;
  options: OnvifOptions;
  signal: AbortSignal;
  silence: SilenceTracker;
  /** The agent's clock, ms since the epoch (injectable for tests). */
  now: () => number;
}

/** What a round has learnt so far; a failure part-way reports everything before it. */
class Round {
  readonly fields = blankFields();
  readonly device = blankDevice();
  /** Problems that do not stop the round (snapshot, clock), in the order found. */
  readonly problems: { failure: OnvifFailure; reason: string }[] = [];
  answered = false;

  outcome(): ProbeOutcome<'onvif'> {
    const first = this.problems[0];
    const device = this.answered ? { device: this.device } : {};
    if (!first) return { status: 'ok', fields: this.fields, ...device };
    const reason = this.problems.map((p) => `${p.failure}: ${p.reason}`).join('; ');
    return { status: 'failed', reason, failure: first.failure, fields: this.fields, ...device };
  }
}

/**
 * One round against one device, in the order the calls depend on each other:
 * GetSystemDateAndTime (pre-auth: is it there, and its clock) → GetDeviceInformation (auth, and
 * the SOAP round-trip time) → GetCapabilities (where the media service is) → GetProfiles →
 * GetStreamUri and GetSnapshotUri of the chosen profile → the snapshot itself.
 */
export async function deviceRound(ctx: RoundContext): Promise<ProbeOutcome<'onvif'>> {
  const { options } = ctx;
  const round = new Round();
  const session = new OnvifSession(
    {
      ...ctx.address,
      username: options.username,
      password: options.password,
      timeoutMs: options.requestTimeoutMs,
    },
    ctx.signal,
  );
  try {
    await converse(session, round, ctx);
  } catch (err) {
    if (!(err instanceof OnvifCallError)) throw err;
    return callFailed(err, round, ctx);
  } finally {
    session.close();
  }
  return round.outcome();
}

async function converse(session: OnvifSession, round: Round, ctx: RoundContext): Promise<void> {
  const { options } = ctx;
  const sentAt = ctx.now();
  const deviceTime = await session.systemDateAndTime();
  const receivedAt = ctx.now();
  round.answered = true;
  ctx.silence.answered(ctx.checkId);
  // ONVIF DateTime carries whole seconds, truncated: +0.5 s centres the error on zero. The
  // agent's side is the middle of the exchange, so network delay cancels out.
  const drift = (deviceTime.getTime() + 500 - (sentAt + receivedAt) / 2) / 1000;
  round.fields.driftSeconds = Math.round(drift * 10) / 10;

  const started = performance.now();
  Object.assign(round.device, await session.deviceInformation());
  round.fields.responseMs = Math.round((performance.now() - started) * 1000) / 1000;

  await session.capabilities();
  const profiles = await session.profiles();
  round.fields.profiles = profiles.length;
  round.device.profileNames = profiles.slice(0, 64).map((p) => p.name.slice(0, 255));
  const profile = chooseProfile(profiles, options.profile);
  if (!profile) {
    round.problems.push({ failure: 'soap_fault', reason: 'GetProfiles: the device has none' });
    return;
  }
  round.device.profileToken = profile.token.slice(0, 255);
  round.device.streamUri = await session.streamUri(profile.token);
  if (options.snapshot) {
    round.device.snapshotUri = await session.snapshotUri(profile.token);
    await snapshot(round, ctx);
  }
  if (Math.abs(drift) > options.driftThresholdSeconds) {
    const direction = drift > 0 ? 'ahead of' : 'behind';
    round.problems.push({
      failure: 'clock_drift',
      reason: `device clock ${Math.abs(round.fields.driftSeconds)} s ${direction} the agent's (limit ${options.driftThresholdSeconds} s)`,
    });
  }
}

/** The configured profile (by token, then by name) or the first; a token we do not know is
 * still asked for, so the device's own fault (ter:NoProfile) names the problem. */
function chooseProfile(profiles: MediaProfile[], wanted: string | undefined): MediaProfile | null {
  if (wanted === undefined) return profiles[0] ?? null;
  return (
    profiles.find((p) => p.token === wanted) ??
    profiles.find((p) => p.name === wanted) ?? { token: wanted, name: wanted }
  );
}

async function snapshot(round: Round, ctx: RoundContext): Promise<void> {
  const uri = round.device.snapshotUri;
  if (!uri || !URL.canParse(uri)) {
    round.problems.push({ failure: 'snapshot_failed', reason: 'the device gave no snapshot URI' });
    return;
  }
  const got = await fetchSnapshot({
    uri,
    username: ctx.options.username,
    password: ctx.options.password,
    timeoutMs: ctx.options.requestTimeoutMs,
    maxBytes: ctx.options.maxSnapshotBytes,
    signal: ctx.signal,
  });
  round.fields.snapshotMs = got.ms;
  if (got.ok) {
    round.fields.snapshotBytes = got.bytes;
    return;
  }
  round.problems.push({
    failure: got.authFailed ? 'auth_failed' : 'snapshot_failed',
    reason: got.reason,
  });
}

/** A call that ended the round. Silence goes through the grace period; the rest fail now. */
function callFailed(err: OnvifCallError, round: Round, ctx: RoundContext): ProbeOutcome<'onvif'> {
  const device = round.answered ? { device: round.device } : {};
  if (err.kind === 'network') {
    const silentFor = ctx.silence.silent(ctx.checkId);
    const grace = ctx.options.graceSeconds;
    const fields = { ...round.fields, unreachableSeconds: Math.round(silentFor * 10) / 10 };
    if (silentFor < grace) {
      // Inside the grace period the round is `ok`: a rebooting camera is not an outage yet.
      // `unreachableSeconds` says it is silent, so charts and the UI can still show it.
      const reason = `no answer for ${fields.unreachableSeconds} s (grace ${grace} s): ${err.message}`;
      return { status: 'ok', reason, fields, ...device };
    }
    const reason = `unreachable: ${err.message} (silent for ${fields.unreachableSeconds} s)`;
    return { status: 'failed', reason, failure: 'unreachable', fields, ...device };
  }
  const failure: OnvifFailure = err.kind === 'auth' ? 'auth_failed' : 'soap_fault';
  const faultCode = err.faultCode ? { faultCode: err.faultCode.slice(0, 200) } : {};
  const reason = `${failure}: ${err.message}`.slice(0, 500);
  return { status: 'failed', reason, failure, fields: round.fields, ...faultCode, ...device };
}
