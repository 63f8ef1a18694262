import { describe, expect, it } from 'vitest';
import { fromDrafts, newDraft, toDraft } from './slaEscalations';

describe('SLA escalation drafts', () => {
  it('turns hours either side of the deadline into the offsets the hub stores', () => {
    const result = fromDrafts([
      { name: ' Tell the lead ', offsetHours: -0.5, action: 'notify', clocks: ['resolution'] },
      {
        name: 'Reassign',
        offsetHours: 2,
        action: 'reassign',
        clocks: ['resolution', 'firstResponse'],
      },
    ]);
    expect(result).toEqual({
      escalations: [
        { name: 'Tell the lead', offsetMs: -1_800_000, action: 'notify', clocks: ['resolution'] },
        { name: 'Reassign', offsetMs: 7_200_000, action: 'reassign' },
      ],
    });
  });

  it('reads a stored level back into the same draft', () => {
    const level = { name: 'x', offsetMs: -3_600_000, action: 'raise_priority' as const };
    expect(toDraft(level)).toEqual({
      name: 'x',
      offsetHours: -1,
      action: 'raise_priority',
      clocks: ['firstResponse', 'resolution'],
    });
    expect(fromDrafts([toDraft(level)])).toEqual({ escalations: [level] });
  });

  it.each([
    [
      [{ ...newDraft(), name: '  ' }],
      { index: 0, field: 'name', message: 'admin.sla.levelNameRequired' },
    ],
    [
      [
        { ...newDraft(), name: 'a' },
        { ...newDraft(), name: 'a' },
      ],
      { index: 1, field: 'name', message: 'admin.sla.levelNameTaken' },
    ],
    [
      [{ ...newDraft(), name: 'a', offsetHours: '' }],
      { index: 0, field: 'offsetHours', message: 'admin.sla.levelOffsetRequired' },
    ],
    [
      [{ ...newDraft(), name: 'a', clocks: [] }],
      { index: 0, field: 'clocks', message: 'admin.sla.levelClocksRequired' },
    ],
  ])('refuses %j', (drafts, problem) => {
    expect(fromDrafts(drafts as never)).toEqual({ problem });
  });

  it('refuses more than twenty levels, as the hub does', () => {
    const drafts = Array.from({ length: 21 }, (_, i) => ({ ...newDraft(), name: `l${i}` }));
    expect(fromDrafts(drafts)).toMatchObject({ problem: { message: 'admin.sla.tooManyLevels' } });
  });
});
