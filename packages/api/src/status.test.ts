import { describe, expect, it } from 'vitest';
import { branchStatus, checkStatus, type StatusCheck } from './status.js';

const at = '2026-01-01T10:00:00.000Z';
const check = (fields: Partial<StatusCheck> = {}): StatusCheck => ({
  type: 'tcp',
  state: 'ok',
  staleSince: null,
  lastResult: { at, status: 'ok' },
  ...fields,
});
const down = (fields: Partial<StatusCheck> = {}) =>
  check({ state: 'failing', lastResult: { at, status: 'failed' }, ...fields });
const online = [{ online: true }];

describe('check status', () => {
  it('tells down from degraded, stale and pending', () => {
    expect(checkStatus(check())).toBe('ok');
    expect(checkStatus(down())).toBe('down');
    // Failing on a threshold while the target answers, or one bad round before it fails.
    expect(checkStatus(check({ state: 'failing' }))).toBe('degraded');
    expect(checkStatus(check({ lastResult: { at, status: 'failed' } }))).toBe('degraded');
    expect(checkStatus(check({ state: 'unknown', lastResult: null }))).toBe('pending');
    expect(checkStatus(down({ staleSince: '2026-01-01T10:02:15.000Z' }))).toBe('stale');
    // A round newer than the stale mark means data is back.
    expect(checkStatus(down({ staleSince: '2026-01-01T09:00:00.000Z' }))).toBe('down');
    expect(checkStatus(down(), true)).toBe('maintenance');
  });
});

describe('branch status', () => {
  it('one failing TCP check of five makes the branch degraded, not down', () => {
    const result = branchStatus({
      agents: online,
      checks: [down(), check(), check(), check(), check({ type: 'icmp' })],
    });
    expect(result).toMatchObject({ status: 'degraded', reason: 'checksFailing' });
    expect(result.counts).toMatchObject({ ok: 4, down: 1 });
  });

  it('is down when its WAN check is down, every reporting check is down, or no agent is online', () => {
    expect(
      branchStatus({ agents: online, checks: [down({ type: 'icmp', role: 'wan' }), check()] }),
    ).toMatchObject({ status: 'down', reason: 'wanDown' });
    expect(
      branchStatus({
        agents: online,
        checks: [down(), down({ type: 'icmp' }), check({ staleSince: at, lastResult: null })],
      }),
    ).toMatchObject({ status: 'down', reason: 'allDown' });
    expect(branchStatus({ agents: [{ online: false }], checks: [check()] })).toMatchObject({
      status: 'down',
      reason: 'agentsOffline',
    });
  });

  it('says stale when nothing reports, and pending without agents or rounds', () => {
    const stale = check({ staleSince: at });
    expect(branchStatus({ agents: online, checks: [stale, stale] })).toMatchObject({
      status: 'stale',
      reason: 'allStale',
    });
    // A stale check among healthy ones is counted, not coloured.
    expect(branchStatus({ agents: online, checks: [stale, check()] }).status).toBe('ok');
    expect(branchStatus({ agents: [], checks: [] }).status).toBe('pending');
    expect(
      branchStatus({ agents: [{ online: true }, { online: false }], checks: [check()] }),
    ).toMatchObject({ status: 'degraded', reason: 'someAgentsOffline' });
    expect(branchStatus({ agents: online, checks: [down()], inMaintenance: true }).status).toBe(
      'maintenance',
    );
  });
});
