import type { TicketPriority } from '@branchwatch/api';

export type { TicketPriority };

/** The two clocks every ticket has. */
export type ClockKind = 'firstResponse' | 'resolution';

/** What a policy's conditions are matched against. */
export interface TicketFacts {
  readonly tenant: string;
  readonly branch: string | null;
  readonly priority: TicketPriority;
  readonly category: string | null;
}

/** Each condition is optional; a present one matches when the ticket's value is in the list. */
export interface PolicyConditions {
  readonly tenant?: readonly string[];
  readonly branch?: readonly string[];
  readonly priority?: readonly TicketPriority[];
  readonly category?: readonly string[];
}

/**
 * A level fires when the clock's elapsed business time reaches target + offsetMs: −30 min is
 * half a working hour before the deadline, +60 min a working hour after it.
 */
export interface EscalationLevel {
  readonly name: string;
  readonly offsetMs: number;
  /** The clocks the level watches; both when left out. */
  readonly clocks?: readonly ClockKind[];
}

export interface SlaPolicy {
  readonly id: string;
  /** Key of the business calendar the targets are counted on. */
  readonly calendar: string;
  /** Targets in business ms; a clock without a target is not kept. */
  readonly targets: Partial<Record<ClockKind, number>>;
  /** The warning fires when this share of the target has elapsed, e.g. 0.8. */
  readonly warningShare: number;
  readonly escalations: readonly EscalationLevel[];
  readonly conditions?: PolicyConditions;
}

export function policyMatches(policy: SlaPolicy, facts: TicketFacts): boolean {
  const c = policy.conditions ?? {};
  const accepts = <T>(list: readonly T[] | undefined, value: T | null): boolean =>
    list === undefined || (value !== null && list.includes(value));
  return (
    accepts(c.tenant, facts.tenant) &&
    accepts(c.branch, facts.branch) &&
    accepts(c.priority, facts.priority) &&
    accepts(c.category, facts.category)
  );
}

/** The first policy, in the admin's order, whose conditions all match. */
export function selectPolicy(
  policies: readonly SlaPolicy[],
  facts: TicketFacts,
): SlaPolicy | undefined {
  return policies.find((p) => policyMatches(p, facts));
}

/** Where clocks get their policy: by matching, or by the id a `policyChanged` event names. */
export interface PolicyResolver {
  match(facts: TicketFacts): SlaPolicy | undefined;
  byId(id: string): SlaPolicy | undefined;
}

/** Throws a RangeError naming the first thing wrong with a policy. */
export function validatePolicy(policy: SlaPolicy): void {
  const where = `SLA policy "${policy.id}"`;
  for (const [kind, target] of Object.entries(policy.targets)) {
    if (!(Number.isFinite(target) && target > 0)) {
      throw new RangeError(`${where}: ${kind} target must be a positive number of ms`);
    }
  }
  if (!(policy.warningShare > 0 && policy.warningShare <= 1)) {
    throw new RangeError(`${where}: warningShare must be in (0, 1]`);
  }
  for (const level of policy.escalations) {
    if (!Number.isFinite(level.offsetMs)) {
      throw new RangeError(`${where}: escalation "${level.name}" needs a finite offsetMs`);
    }
  }
}

/** A resolver over an ordered list of policies (validated here, once). */
export function policyResolver(policies: readonly SlaPolicy[]): PolicyResolver {
  policies.forEach(validatePolicy);
  const byId = new Map(policies.map((p) => [p.id, p]));
  if (byId.size !== policies.length) throw new RangeError('SLA policy ids must be unique');
  return { match: (facts) => selectPolicy(policies, facts), byId: (id) => byId.get(id) };
}
