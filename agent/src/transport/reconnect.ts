import type { MqttClient } from 'mqtt';
import type { Logger } from '../log.js';

/**
 * How the agent gets back to the broker, for ever and without a person: every failure that may
 * be temporary (the broker unreachable, a connection cut, CONNACK 3 "Server unavailable" while
 * the hub's database is down) is retried with exponential backoff and jitter; a refusal that
 * will not pass by itself (bad user name or password, not authorized) is logged as an error and
 * still retried, slowly, so that a fixed hub-side account brings the agent back too.
 *
 * The log gets one line per change of state (connected, lost, refused with another code, …),
 * not one per attempt; each attempt is a debug line.
 */
export interface ReconnectOptions {
  /** First delay after a failure, ms; doubles per failure in a row. */
  baseMs: number;
  /** Longest delay for a failure that may be temporary, ms. */
  maxMs: number;
  /** Delay after a refusal that will not pass by itself, ms. */
  refusedMs: number;
  /** In [0, 1): the jitter. */
  random?: () => number;
}

// MQTT 3.1.1 §3.2.2.3 (CONNACK return codes). 3 "Server unavailable" is the temporary one;
// any other code (MQTT 5 reason codes included) is treated as temporary too.
const FINAL_REFUSALS = new Map<number, string>([
  [1, 'unacceptable protocol version'],
  [2, 'client identifier rejected'],
  [4, 'bad user name or password'],
  [5, 'not authorized'],
]);
const TEMPORARY_REFUSALS = new Map<number, string>([[3, 'server unavailable']]);

/** Why the last attempt failed, as logged; attempts failing the same way log nothing new. */
interface Failure {
  key: string;
  final: boolean;
  message: string;
  fields: Record<string, unknown>;
}

/**
 * The delay before the next attempt: doubling from `baseMs` up to `maxMs`, with "equal jitter"
 * (half the delay fixed, half random), so that a fleet cut off at the same moment spreads its
 * reconnects out instead of coming back in one burst
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function backoffDelay(
  failures: number,
  options: Pick<ReconnectOptions, 'baseMs' | 'maxMs' | 'random'>,
): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Classifies a client error: a refused CONNACK (final or not) or a failure to get through. */
export function describeFailure(err: Error & { code?: unknown }): Failure {
  const code = err.code;
  if (typeof code === 'number') {
    const final = FINAL_REFUSALS.get(code);
    const reason = final ?? TEMPORARY_REFUSALS.get(code) ?? `return code ${code}`;
    return {
      key: `refused:${code}`,
      final: final !== undefined,
      message: final
        ? `the broker refused the agent: ${reason} (check hub.username and hub.password, and the agent's account on the hub)`
        : `the broker refused the connection for now: ${reason}`,
      fields: { code },
    };
  }
  const what = typeof code === 'string' ? code : err.message;
  return {
    key: `unreachable:${what}`,
    final: false,
    message: 'cannot reach the broker',
    fields: { err: err.message },
  };
}

/**
 * Drives mqtt.js's own reconnect loop with a delay per attempt. mqtt.js has a fixed
 * `reconnectPeriod` and stops after a refused CONNACK unless `reconnectOnConnackError` is set
 * (the client must be created with it); it reads `options.reconnectPeriod` each time it arms
 * its timer, which is the documented-by-use way to vary it
 * (https://github.com/mqttjs/MQTT.js/issues/1742). The period set here is always the delay to
 * use should the attempt under way fail.
 */
export function superviseReconnects(
  client: MqttClient,
  options: ReconnectOptions & { url: string; log: Logger },
): void {
  const { log, url } = options;
  let failures = 0;
  /** Attempts since the connection was lost (or since the start), the one under way included. */
  let attempts = 1;
  /** When the connection was lost (or the first attempt began); undefined while connected. */
  let lost: number | undefined = Date.now();
  let logged: string | undefined;
  let failedThisAttempt = false;
  let dropCause: string | undefined;
  let live = false;
  const setDelay = (ms: number) => {
    client.options.reconnectPeriod = ms;
  };
  setDelay(backoffDelay(failures, options));

  const failed = (failure: Failure) => {
    if (failedThisAttempt || client.disconnecting) return;
    failedThisAttempt = true;
    failures++;
    const delay = failure.final
      ? backoffDelay(0, { ...options, baseMs: options.refusedMs, maxMs: options.refusedMs })
      : backoffDelay(failures, options);
    setDelay(delay);
    const fields = { ...failure.fields, url, attempts, retryInMs: delay };
    if (failure.key === logged) {
      log.debug(`${failure.message}; retrying`, fields);
      return;
    }
    logged = failure.key;
    const retry = failure.final ? 'retrying every few minutes' : 'retrying with backoff';
    const line = `${failure.message}; ${retry}; batches wait in the spool`;
    if (failure.final) log.error(line, fields);
    else log.warn(line, fields);
  };

  client.on('reconnect', () => {
    attempts++;
    failedThisAttempt = false;
    setDelay(backoffDelay(failures, options));
  });
  client.on('connect', () => {
    const downMs = lost === undefined ? 0 : Date.now() - lost;
    log.info('connected to broker', {
      url,
      ...(attempts > 1 ? { attempts, downSeconds: Math.round(downMs / 1000) } : {}),
    });
    failures = 0;
    attempts = 0; // counted again from the drop
    lost = undefined;
    logged = undefined;
    failedThisAttempt = false;
    live = true;
    // The delay should this connection drop: the shortest, jittered, since a hub restart cuts
    // every agent at the same moment.
    setDelay(backoffDelay(0, options));
  });
  client.on('offline', () => {
    if (lost !== undefined || client.disconnecting) return;
    lost = Date.now();
    logged = 'lost';
    log.warn('broker connection lost; batches wait in the spool; reconnecting', {
      url,
      ...(dropCause ? { err: dropCause } : {}),
    });
    dropCause = undefined;
  });
  client.on('error', (err: Error & { code?: unknown }) => {
    // An error on a live connection is why it drops: the `offline` line says so.
    if (live) dropCause = err.message;
    else failed(describeFailure(err));
  });
  // A connection closed before its CONNACK without an error (e.g. the broker dropped it).
  client.on('close', () => {
    if (live) {
      live = false; // the end of a live connection: `offline` has said so
      return;
    }
    if (lost !== undefined) {
      failed({
        key: 'closed',
        final: false,
        message: 'the broker closed the connection before accepting it',
        fields: {},
      });
    }
  });
}
