import type { TicketTextMessages } from './messages.js';
import { TICKET_WORDS } from '../ticket-words.js';

const CATEGORY: Record<string, string> = {
  agent: 'the branch agent offline',
  wan: 'the branch WAN link',
  icmp: 'a ping check',
  tcp: 'a TCP check',
  http: 'an HTTP check',
  dns: 'a DNS check',
  snmp: 'an SNMP check',
  sip: 'a SIP check',
  voice: 'a voice quality check',
  onvif: 'a camera check',
};

export const en: TicketTextMessages = {
  locale: 'en',
  units: { d: 'd', h: 'h', min: 'min', s: 's', ms: 'ms', days: 'days' },
  comma: ', ',
  priority: TICKET_WORDS.en.priority,
  fields: {
    sent: 'sent',
    received: 'received',
    loss: 'loss',
    min: 'min RTT',
    median: 'median RTT',
    p95: '95th percentile RTT',
    max: 'max RTT',
    jitter: 'jitter',
    connect: 'connect time',
    total: 'total time',
    firstByte: 'time to first byte',
    status: 'HTTP status',
    mos: 'MOS',
    delay: 'delay',
    driftSeconds: 'clock drift',
    certDaysLeft: 'certificate days left',
    resolveMs: 'resolution time',
    responseMs: 'response time',
    latency: 'answer time',
    rttMean: 'mean RTT',
  },

  checkSubject: (c) => `${c.what} down at ${c.branch}`,
  breakGlassSubject: 'A break-glass account signed in with a password',
  ssoCertificateSubject: (provider, expired) =>
    expired
      ? `The signing certificate of ${provider} has expired`
      : `The signing certificate of ${provider} ends soon`,
  jobSubject: (job) => `Hub job ${job} keeps failing`,
  agentSubject: (agent, branch) => `Agent ${agent} offline at ${branch}: branch unreachable`,
  branchAgentSubject: (branch) => `${branch} unreachable: its agent is offline`,

  failingSince: (since, reason) => ['Failing since ', since, ': ', reason, '.'],
  failingAgain: (since, reason) => ['Failing again since ', since, ': ', reason, '.'],
  noReason: 'no reason given',
  what: (c) => [
    'What: the ',
    c.type,
    ' check ',
    c.key,
    ' on ',
    c.target,
    c.wan ? ', the branch WAN link.' : '.',
  ],
  where: (c) => ['Where: branch ', c.branch, ', agent ', c.agent, '.'],
  lastMeasured: (list) => ['Last measurements: ', ...list, '.'],
  chart: 'Chart of the outage',
  link: (label, url) => `${label}: ${url}`,
  agentLost: (agent) => ['What: the agent ', agent, ' lost its connection to the hub.'],
  agentWhere: (branch) => ['Where: branch ', branch, '.'],
  agentSince: (since) => ['Since: ', since, '.'],
  agentAgain: (since) => ['The agent went offline again at ', since, '.'],
  agentAttached:
    'The branch cannot be measured while its agent is away; alerts of its checks are added here.',
  priorityLine: (priority, score, factors) => [
    `Priority ${priority}, ${score} points: ${factors}.`,
  ],
  priorityChanged: (priority, score, factors) => [
    `Priority set by the hub to ${priority}, ${score} points: ${factors}.`,
  ],
  factor: (words, points) => `${words} (${points})`,
  category: (c) => CATEGORY[c] ?? `a ${c} check`,
  criticality: (c) => `a branch of ${c} importance`,
  repeats: (count, n) =>
    count === 0 ? 'first time' : count === 1 ? 'reopened once' : `reopened ${n} times`,
  children: (count, n) =>
    count === 0
      ? 'nothing else affected'
      : count === 1
        ? 'one more check failing behind it'
        : `${n} more checks failing behind it`,

  recovered: (at, downtime) => ['Recovered at ', at, ` after ${downtime} of downtime.`],
  recoveredSince: (since) => ['It had been failing since ', since, '.'],
  worst: (list) => ['Worst during the outage: ', ...list, '.'],
  chartOfOutage: 'Chart of the outage',
  branchUnreachable: (from, to, duration, agent) => [
    'Branch unreachable from ',
    from,
    ' to ',
    to,
    ` (${duration}): the agent `,
    agent,
    ' is back online.',
  ],
  flapping: (count, changes, window, quiet) => [
    `Flapping: ${changes} state ${count === 1 ? 'change' : 'changes'} in ${window}. No new ` +
      `tickets and no automatic resolution until the check has been calm for ${quiet}.`,
  ],
  calm: (at) => ['No longer flapping (calm at ', at, ').'],
  alsoFailing: (c, since, reason) => [
    'Also failing behind this incident: ',
    c.key,
    ' (',
    c.type,
    ' ',
    c.target,
    ') since ',
    since,
    ': ',
    reason,
    '. It gets no ticket of its own while this one is open.',
  ],
  expired: (check, last, allowed) => [
    'Alert expired: no result from ',
    check,
    ...(last ? [' since ', last] : [' yet']),
    ` (${allowed} allowed), so its recovery cannot be seen. The check starts afresh when ` +
      'results return.',
  ],
  autoResolved: (why) => [
    `Resolved automatically: ${
      why === 'check_recovered'
        ? 'the check recovered'
        : why === 'agent_back'
          ? 'the agent is back online'
          : why === 'job_recovered'
            ? 'the job succeeded again'
            : why === 'certificate_replaced'
              ? 'the certificate was replaced'
              : why === 'finding_cleared'
                ? 'the provider no longer showed it'
                : 'the alert expired'
    } and nobody had worked on the ticket.`,
  ],
  staleMissed: (check, ago) => [
    'No data: ',
    check,
    ago === null
      ? ' has missed two rounds in a row.'
      : ` has missed two rounds in a row; its last result came ${ago} ago.`,
  ],
  staleAgent: (agent, online) =>
    online
      ? [
          'The agent ',
          agent,
          ' is connected but does not report this check (it may have been taken out of its ' +
            'configuration).',
        ]
      : ['The agent ', agent, ' is not connected to the hub.'],
  staleUnknown: (since) => [
    'Whether the check still fails cannot be seen: the ticket stays open and is neither ' +
      'counted as failing nor resolved until results come back (stale since ',
    since,
    ').',
  ],
  dataBack: (gap, stillFailing) => [
    `Data is back after ${gap} without results: ${
      stillFailing ? 'it still fails.' : 'it reports again; the ticket follows its state from here.'
    }`,
  ],
  jobFailing: (job, failures, since) => [
    'The hub job ',
    job,
    ` failed ${failures} runs in a row (since `,
    since,
    ').',
  ],
  jobTarget: (target, timescaledb) => [
    timescaledb ? 'A TimescaleDB background job on ' : 'It works on ',
    target,
    '.',
  ],
  jobError: (error) => ['Last error: ', error, '.'],
  jobWhat:
    'While it fails, charts, retention or notifications fall behind. The admin health page ' +
    'shows every job; this ticket resolves itself when the job succeeds again.',
  jobRecovered: (job, at) => ['The job ', job, ' succeeded again at ', at, '.'],
  breakGlassUsed: (user, at, ip) =>
    ip === null
      ? ['The break-glass account ', user, ' signed in with its password at ', at, '.']
      : [
          'The break-glass account ',
          user,
          ' signed in with its password at ',
          at,
          ' from ',
          ip,
          '.',
        ],
  breakGlassWhat:
    'The tenant signs in through its provider; check that this sign-in was expected (Admin → Sign-in security).',
  ssoCertificate: (provider, notAfter, expired) =>
    expired
      ? ['The signing certificate of the sign-in provider ', provider, ' ended at ', notAfter, '.']
      : ['The signing certificate of the sign-in provider ', provider, ' ends at ', notAfter, '.'],
  ssoCertificateWhat:
    "Ask the provider's admin for its new certificate and paste it beside the old one in Admin → Sign-in providers; once it ends, nobody can sign in through this provider. This ticket resolves itself when the certificate is replaced.",
  ssoCertificateReplaced: (provider, at) => [
    'The signing certificate of ',
    provider,
    ' was replaced (seen at ',
    at,
    ').',
  ],
  ssoFindingSubject: (finding, provider) =>
    finding === 'sha1'
      ? `Sign-in provider ${provider} signs with SHA-1`
      : `The clock of sign-in provider ${provider} is off`,
  ssoSha1: (provider, at, accepted) => [
    'The sign-in provider ',
    provider,
    ' signed an answer with SHA-1 at ',
    at,
    accepted ? '; it was accepted, as the provider is set to allow.' : '; it was refused.',
  ],
  ssoSha1What:
    'SHA-1 signatures can be forged. Ask the provider\'s admin to sign with SHA-256, then turn off "Accept SHA-1 signatures" in Admin → Sign-in providers. This ticket resolves itself after a day without SHA-1 answers, or when that setting is changed.',
  ssoClockSkew: (provider, at, by, ahead) => [
    'At ',
    at,
    ', the clock of the sign-in provider ',
    provider,
    ahead ? ' was ' + by + " ahead of the hub's." : ' was ' + by + " behind the hub's.",
  ],
  ssoClockSkewWhat:
    "Sign-ins are refused once the clocks differ by more than their answers allow. Check that the provider's servers and the hub set their clocks by NTP. This ticket resolves itself after a day without such answers.",
  ssoFindingCleared: (provider, at, why) => [
    why === 'quiet'
      ? 'No answer of the sign-in provider '
      : 'The SHA-1 setting of the sign-in provider ',
    provider,
    why === 'quiet' ? ' has shown this for a day (seen at ' : ' was changed (seen at ',
    at,
    ').',
  ],
};
