import type { MessageKey } from '../i18n';
import { SLA_CLOCKS, type SlaEscalation } from '../api/adminApi';

// The escalation levels of an SLA policy as the form edits them (hours, either sign) and as the
// hub stores them (helpdesk-admin.routes.ts: name 1-100, integer offsetMs, at most 20 levels,
// names unique per policy, clocks at least one when given).

const HOUR_MS = 3_600_000;
export const MAX_LEVELS = 20;

export interface EscalationDraft {
  name: string;
  /** Hours after the deadline; negative before it. '' while the field is empty. */
  offsetHours: number | string;
  action: SlaEscalation['action'];
  clocks: string[];
}

export const newDraft = (): EscalationDraft => ({
  name: '',
  offsetHours: 0,
  action: 'notify',
  clocks: [...SLA_CLOCKS],
});

export const toDraft = (e: SlaEscalation): EscalationDraft => ({
  name: e.name,
  offsetHours: e.offsetMs / HOUR_MS,
  action: e.action,
  clocks: e.clocks ? [...e.clocks] : [...SLA_CLOCKS],
});

export interface DraftProblem {
  index: number;
  field: 'name' | 'offsetHours' | 'clocks';
  message: MessageKey;
}

/** The levels to send, or the first problem, checked as the hub checks them. */
export function fromDrafts(
  drafts: EscalationDraft[],
): { escalations: SlaEscalation[] } | { problem: DraftProblem } {
  const seen = new Set<string>();
  const escalations: SlaEscalation[] = [];
  for (const [index, d] of drafts.entries()) {
    const name = d.name.trim();
    if (name === '' || name.length > 100)
      return { problem: { index, field: 'name', message: 'admin.sla.levelNameRequired' } };
    if (seen.has(name))
      return { problem: { index, field: 'name', message: 'admin.sla.levelNameTaken' } };
    seen.add(name);
    if (typeof d.offsetHours !== 'number' || !Number.isFinite(d.offsetHours))
      return { problem: { index, field: 'offsetHours', message: 'admin.sla.levelOffsetRequired' } };
    if (d.clocks.length === 0)
      return { problem: { index, field: 'clocks', message: 'admin.sla.levelClocksRequired' } };
    const clocks = SLA_CLOCKS.filter((c) => d.clocks.includes(c));
    escalations.push({
      name,
      offsetMs: Math.round(d.offsetHours * HOUR_MS),
      action: d.action,
      // Both clocks is the hub's default: left out, as the hub would store it.
      ...(clocks.length === SLA_CLOCKS.length ? {} : { clocks }),
    });
  }
  if (escalations.length > MAX_LEVELS)
    return { problem: { index: MAX_LEVELS, field: 'name', message: 'admin.sla.tooManyLevels' } };
  return { escalations };
}
