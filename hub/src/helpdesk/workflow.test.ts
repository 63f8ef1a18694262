import { describe, expect, it } from 'vitest';
import { TRANSITIONS, canTransition, transitionProblem } from './workflow.js';
import { TICKET_STATES } from '@branchwatch/api';

describe('ticket workflow', () => {
  it('lists every state, and only known states as targets', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...TICKET_STATES].sort());
    for (const targets of Object.values(TRANSITIONS)) {
      for (const to of targets) expect(TICKET_STATES).toContain(to);
    }
  });

  it('lets work move between active states and resolves from any of them', () => {
    expect(canTransition('open', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'waiting')).toBe(true);
    expect(canTransition('waiting', 'in_progress')).toBe(true);
    expect(canTransition('on_hold', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(canTransition('resolved', 'closed')).toBe(true);
  });

  it('refuses leaving closed and names from and to', () => {
    expect(canTransition('closed', 'open')).toBe(false);
    expect(transitionProblem('closed', 'open')).toBe(
      'a ticket cannot go from closed to open (closed is final)',
    );
    expect(transitionProblem('resolved', 'waiting')).toBe(
      'a ticket cannot go from resolved to waiting (from resolved: open, in_progress, closed)',
    );
    expect(transitionProblem('open', 'open')).toBe('the ticket is already open');
    expect(transitionProblem('open', 'waiting')).toBeUndefined();
  });

  it('allows no state to skip back from resolved into a paused state', () => {
    expect(canTransition('resolved', 'on_hold')).toBe(false);
    expect(canTransition('on_hold', 'answered')).toBe(false);
  });
});
