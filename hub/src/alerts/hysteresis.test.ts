import { describe, expect, it } from 'vitest';
import { applyRounds, type CheckCounters } from './hysteresis.js';

const rule = { failRounds: 3, recoverRounds: 2 };
const fresh: CheckCounters = {
  state: 'unknown',
  stateSince: null,
  failStreak: 0,
  okStreak: 0,
  streakSince: null,
};
const t = (s: number) => new Date(Date.UTC(2026, 10, 21, 10, 0, s));
const rounds = (pattern: string) => [...pattern].map((c, i) => ({ at: t(i * 10), ok: c === '+' }));

describe('applyRounds', () => {
  it('turns ok on the first good round of a new check', () => {
    const { counters, transitions } = applyRounds(fresh, rounds('+'), rule);
    expect(counters).toEqual({
      state: 'ok',
      stateSince: t(0),
      failStreak: 0,
      okStreak: 1,
      streakSince: t(0),
    });
    expect(transitions).toEqual([
      { from: 'unknown', to: 'ok', at: t(0), since: null, streakStart: t(0) },
    ]);
  });

  it('needs N bad rounds in a row to fail, dated from the first of them', () => {
    const { counters, transitions } = applyRounds(fresh, rounds('+--+---'), rule);
    expect(counters.state).toBe('failing');
    expect(counters.stateSince).toEqual(t(40));
    expect(transitions.map((x) => [x.to, x.at])).toEqual([
      ['ok', t(0)],
      ['failing', t(60)],
    ]);
    expect(transitions[1]!.since).toEqual(t(0));
  });

  it('needs M good rounds in a row to recover', () => {
    const failing: CheckCounters = {
      state: 'failing',
      stateSince: t(0),
      failStreak: 5,
      okStreak: 0,
      streakSince: t(0),
    };
    const once = applyRounds(failing, rounds('+-+'), rule);
    expect(once.counters.state).toBe('failing');
    expect(once.transitions).toEqual([]);
    const twice = applyRounds(once.counters, rounds('++'), rule);
    expect(twice.counters.state).toBe('ok');
    expect(twice.transitions[0]).toMatchObject({ from: 'failing', to: 'ok', since: t(0) });
  });

  it('keeps counting across calls, and dates the outage from its first round', () => {
    const first = applyRounds(fresh, [{ at: t(0), ok: false }], rule);
    const second = applyRounds(first.counters, [{ at: t(10), ok: false }], rule);
    expect(second.counters).toMatchObject({ state: 'unknown', failStreak: 2, streakSince: t(0) });
    const third = applyRounds(second.counters, [{ at: t(20), ok: false }], rule);
    expect(third.counters).toMatchObject({ state: 'failing', stateSince: t(0) });
    expect(third.transitions).toEqual([
      { from: 'unknown', to: 'failing', at: t(20), since: null, streakStart: t(0) },
    ]);
  });
});
