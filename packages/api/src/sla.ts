/** What an SLA escalation level does when it fires (docs/sla.md "Escalations"). */
export const ESCALATION_ACTIONS = ['notify', 'reassign', 'raise_priority'] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/** The two clocks of a ticket's SLA. */
export const SLA_CLOCKS = ['firstResponse', 'resolution'] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];
