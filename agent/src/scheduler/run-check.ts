import { probeResult, type ProbeResult } from '@branchwatch/contract';
import type { CheckConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { ProbeOutcome } from '../probes/probe.js';
import type { ProbeRegistry } from '../probes/registry.js';

export interface RunCheckOptions {
  registry: ProbeRegistry;
  log: Logger;
  /** Aborted when the agent stops: the round is cut off and reported as such. */
  stop?: AbortSignal;
}

/**
 * Runs one round of one check. The runner, not the probe, owns the deadline: at
 * `timeoutSeconds` it aborts the probe's signal and reports a timeout without waiting for the
 * probe to notice. It adds the common fields, and turns an exception (a bug: targets that fail
 * are outcomes) into a failed result that says so, after logging it. It never throws.
 */
export async function runCheck(check: CheckConfig, options: RunCheckOptions): Promise<ProbeResult> {
  const { registry, log, stop } = options;
  const probe = registry[check.type];
  const common = { check: check.id, type: check.type, target: check.target };
  const at = new Date().toISOString();
  // One signal for the round, aborted by the deadline or by the agent's stop. Not
  // AbortSignal.any([deadline, stop]): each such signal stays reachable from the long-lived
  // stop signal, so an agent leaked about 1 KB per round, for ever
  // (https://github.com/nodejs/node/issues/55351); this listener is removed when the round ends.
  const round = new AbortController();
  const signal = round.signal;
  const timer = setTimeout(() => round.abort(), check.timeoutSeconds * 1000);
  const onStop = () => round.abort();
  if (stop?.aborted) round.abort();
  else stop?.addEventListener('abort', onStop, { once: true });

  let outcome: ProbeOutcome;
  try {
    const running = probe.run(
      { id: check.id, target: check.target, options: check.options },
      signal,
    );
    // The probe may still settle after the deadline; nobody is listening by then.
    running.catch(() => {});
    outcome = await Promise.race([running, rejectOnAbort(signal)]);
    if (signal.aborted) throw ABORTED;
  } catch (err) {
    if (err === ABORTED) {
      const reason = stop?.aborted ? 'agent stopping' : `timeout after ${check.timeoutSeconds}s`;
      outcome = failedOutcome(check, options, reason);
    } else {
      log.error('probe threw: this is a bug in the probe', { check: check.id, err });
      outcome = failedOutcome(check, options, `probe error: ${errorText(err)}`);
    }
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
  }
  return validated({ ...common, at, ...outcome } as ProbeResult, check, options);
}

const ABORTED = Symbol('aborted');

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(ABORTED);
    signal.addEventListener('abort', () => reject(ABORTED), { once: true });
  });
}

function failedOutcome(check: CheckConfig, options: RunCheckOptions, reason: string): ProbeOutcome {
  const fields = options.registry[check.type].blankFields(check.options);
  return { status: 'failed', reason: reason.slice(0, 500), fields } as ProbeOutcome;
}

/** A probe that produces a result the contract refuses is a bug; the round still reports it. */
function validated(result: ProbeResult, check: CheckConfig, options: RunCheckOptions): ProbeResult {
  const parsed = probeResult.safeParse(result);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const detail = `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
  options.log.error('probe produced an invalid result: this is a bug in the probe', {
    check: check.id,
    detail,
  });
  const outcome = failedOutcome(check, options, `probe error: invalid result (${detail})`);
  return {
    check: check.id,
    type: check.type,
    target: check.target,
    at: result.at,
    ...outcome,
  } as ProbeResult;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
