import type { PriorityFacts } from '@branchwatch/api';

/**
 * Auto-priority (docs/alerts.md "Priority"): a score from what broke, how much the branch
 * matters, how often it broke, and how much is broken behind it. The reason is written on the
 * ticket so that people can see, and override, the hub's judgement.
 */
export type Criticality = 'low' | 'normal' | 'high' | 'critical';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** Weight by what failed: a branch cut off outweighs one camera. */
const CATEGORY_WEIGHT: Record<string, number> = {
  agent: 3,
  wan: 3,
  voice: 2,
  sip: 2,
  icmp: 2,
  http: 1,
  dns: 1,
  tcp: 1,
  snmp: 1,
  onvif: 1,
};

const CRITICALITY_WEIGHT: Record<Criticality, number> = {
  low: 0,
  normal: 1,
  high: 2,
  critical: 3,
};

export interface PriorityInput {
  /** 'agent', 'wan' or the check type. */
  category: string;
  criticality: Criticality;
  /** Times the ticket was reopened by a repeat. */
  repeats: number;
  /** Children whose alerts are attached to this ticket. */
  children: number;
}

export function autoPriority(input: PriorityInput): {
  priority: Priority;
  reason: string;
  /** The same, as facts a ticket's text renders in words (packages/api ticket-text). */
  facts: PriorityFacts;
} {
  const category = CATEGORY_WEIGHT[input.category] ?? 1;
  const criticality = CRITICALITY_WEIGHT[input.criticality];
  const repeats = Math.min(input.repeats, 2);
  const impact = input.children === 0 ? 0 : input.children < 5 ? 1 : 2;
  const score = category + criticality + repeats + impact;
  const priority: Priority =
    score >= 7 ? 'urgent' : score >= 5 ? 'high' : score >= 3 ? 'normal' : 'low';
  const reason =
    `priority ${priority} (score ${score}): category ${input.category} +${category}, ` +
    `branch criticality ${input.criticality} +${criticality}, ` +
    `repeats ${input.repeats} +${repeats}, impact ${input.children} suppressed +${impact}`;
  const facts: PriorityFacts = {
    priority,
    score,
    category: input.category,
    criticality: input.criticality,
    repeats: input.repeats,
    children: input.children,
    weights: { category, criticality, repeats, impact },
  };
  return { priority, reason, facts };
}
