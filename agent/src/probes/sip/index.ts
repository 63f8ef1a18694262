import { sipRules, type SipDetail, type SipFields } from '@branchwatch/contract';
import type { Probe, ProbeOutcome } from '../probe.js';
import { classifyResponse, type Verdict } from './classify.js';
import { header } from './message.js';
import type { SipOptions } from './options.js';
import { AuthState, register } from './register.js';
import { SipSession } from './session.js';
import { parseSipTarget, uriHost, type SipTarget } from './target.js';
import type { TransactionResult } from './transaction.js';
import { openFlow } from './transport.js';

const BLANK: SipFields = { code: null, latency: null, total: null, expires: null };

/** SIP OPTIONS ping or authenticated REGISTER over UDP or TCP, with our own client. See README.md. */
export const sipProbe: Probe<SipOptions, 'sip'> = {
  type: 'sip',
  ...sipRules,
  blankFields: () => ({ ...BLANK }),
  async run(check, signal) {
    const options = check.options;
    const target = parseSipTarget(check.target);
    if (typeof target === 'string') return failedBefore(options, target, 'protocol_error');
    const flow = await openFlow(options.transport, target.host, target.port, signal);
    if (typeof flow === 'string') return failedBefore(options, flow, 'unreachable');
    try {
      return options.method === 'OPTIONS'
        ? await optionsRound(options, target, flow, signal)
        : await registerRound(options, target, flow, signal);
    } finally {
      flow.close();
    }
  },
};

type Flow = Exclude<Awaited<ReturnType<typeof openFlow>>, string>;

function session(options: SipOptions, target: SipTarget, flow: Flow, signal: AbortSignal) {
  const domain = options.domain ?? uriHost(target.host);
  const user = options.username;
  // OPTIONS goes to the server itself (RFC 3261 §11.1); REGISTER to the domain (§10.2).
  const requestUri =
    options.method === 'OPTIONS' ? `sip:${uriHost(target.host)}:${target.port}` : `sip:${domain}`;
  const aor = `sip:${user ?? 'branchwatch'}@${domain}`;
  return new SipSession({ flow, requestUri, aor, t1Ms: options.t1Ms, signal });
}

async function optionsRound(
  options: SipOptions,
  target: SipTarget,
  flow: Flow,
  signal: AbortSignal,
): Promise<ProbeOutcome<'sip'>> {
  const result = await session(options, target, flow, signal).send('OPTIONS', [
    'Accept: application/sdp',
  ]);
  if (result.kind !== 'response') return noResponse(options, result);
  const { response, ms } = result;
  const verdict = classifyResponse(response.code, response.phrase, {
    credentialsSent: false,
    maintenanceOn503: options.maintenanceOn503,
    okCodes: options.okCodes,
  });
  return outcome(
    verdict,
    { code: response.code, latency: ms, total: ms, expires: null },
    detail(options, verdict, { phrase: response.phrase, server: serverOf(result) }),
  );
}

async function registerRound(
  options: SipOptions,
  target: SipTarget,
  flow: Flow,
  signal: AbortSignal,
): Promise<ProbeOutcome<'sip'>> {
  const credentials = {
    username: options.authUsername ?? options.username!,
    password: options.password!,
  };
  const sip = session(options, target, flow, signal);
  const auth = new AuthState(credentials);
  const spec = { credentials, user: options.username!, expires: options.expires };
  const exchange = await register(sip, spec, auth);
  const { last } = exchange;
  if (last.kind !== 'response') return noResponse(options, last);
  const { response, ms } = last;
  const verdict = classifyResponse(response.code, response.phrase, {
    credentialsSent: exchange.credentialsSent,
    maintenanceOn503: options.maintenanceOn503,
    okCodes: [],
  });
  const registered = verdict.status === 'ok';
  let unregistered: boolean | null = null;
  if (registered && options.unregister) {
    // RFC 3261 §10.2.2: Expires 0 for our Contact removes just our binding.
    const removal = await register(sip, { ...spec, expires: 0 }, auth);
    unregistered = removal.last.kind === 'response' && removal.last.response.code < 300;
  }
  return outcome(
    verdict,
    { code: response.code, latency: ms, total: exchange.total, expires: exchange.expires },
    detail(options, verdict, {
      phrase: response.phrase,
      server: serverOf(last),
      registration: registered ? 'registered' : 'not_registered',
      unregistered,
    }),
  );
}

function serverOf(result: TransactionResult): string | null {
  if (result.kind !== 'response') return null;
  const value = header(result.response, 'server') ?? header(result.response, 'user-agent');
  return value ? value.slice(0, 200) : null;
}

function noResponse(options: SipOptions, result: TransactionResult): ProbeOutcome<'sip'> {
  if (result.kind === 'timeout') {
    const reason = `no response to ${options.method} within ${Math.round(result.ms)} ms (timeout)`;
    return failedBefore(options, reason, 'timeout');
  }
  if (result.kind === 'transport') return failedBefore(options, result.reason, 'unreachable');
  return failedBefore(options, 'aborted', 'timeout');
}

function failedBefore(
  options: SipOptions,
  reason: string,
  failure: SipDetail['failure'],
): ProbeOutcome<'sip'> {
  const verdict: Verdict = { status: 'failed', failure, reason };
  return outcome(verdict, { ...BLANK }, detail(options, verdict, {}));
}

function detail(
  options: SipOptions,
  verdict: Verdict,
  seen: Partial<Pick<SipDetail, 'phrase' | 'server' | 'registration' | 'unregistered'>>,
): SipDetail {
  return {
    method: options.method,
    transport: options.transport,
    phrase: seen.phrase?.slice(0, 200) ?? null,
    failure: verdict.failure,
    registration: seen.registration ?? (options.method === 'REGISTER' ? 'not_registered' : null),
    unregistered: seen.unregistered ?? null,
    server: seen.server ?? null,
  };
}

function outcome(verdict: Verdict, fields: SipFields, sip: SipDetail): ProbeOutcome<'sip'> {
  return verdict.status === 'ok'
    ? { status: 'ok', fields, sip }
    : { status: 'failed', reason: verdict.reason!.slice(0, 500), fields, sip };
}
