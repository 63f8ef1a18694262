import { describe, expect, it } from 'vitest';
import { selectAssignee, type Candidate } from './assignment.js';

const m = (userId: string, load = 0, away = false): Candidate => ({ userId, load, away });

describe('automatic assignment', () => {
  it('goes round the group in order, wrapping after the last member', () => {
    const group = [m('ali'), m('bahar'), m('cyrus')];
    expect(selectAssignee('round_robin', group, null)).toBe('ali');
    expect(selectAssignee('round_robin', group, 'ali')).toBe('bahar');
    expect(selectAssignee('round_robin', group, 'cyrus')).toBe('ali');
  });

  it('skips people who are away, and gives nobody when all are away', () => {
    const group = [m('ali'), m('bahar', 0, true), m('cyrus')];
    expect(selectAssignee('round_robin', group, 'ali')).toBe('cyrus');
    expect(selectAssignee('least_loaded', [m('ali', 0, true), m('bahar', 9)], null)).toBe('bahar');
    expect(selectAssignee('round_robin', [m('ali', 0, true)], null)).toBeUndefined();
  });

  it('gives the least loaded present member, ties going round robin', () => {
    const group = [m('ali', 3), m('bahar', 1), m('cyrus', 1), m('dara', 0, true)];
    expect(selectAssignee('least_loaded', group, null)).toBe('bahar');
    expect(selectAssignee('least_loaded', group, 'bahar')).toBe('cyrus');
    expect(selectAssignee('least_loaded', group, 'cyrus')).toBe('bahar');
  });

  it('assigns nobody in a manual group or an empty one', () => {
    expect(selectAssignee('manual', [m('ali')], null)).toBeUndefined();
    expect(selectAssignee('least_loaded', [], null)).toBeUndefined();
  });

  it('treats a last assignee who left the group as no previous turn', () => {
    expect(selectAssignee('round_robin', [m('ali'), m('bahar')], 'gone')).toBe('ali');
  });
});
