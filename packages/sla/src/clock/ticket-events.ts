import type { TicketFacts, TicketPriority } from '../policy/sla-policy.js';

import type { TicketState } from '@branchwatch/api';

export type { TicketState };

/**
 * One entry of a ticket's event log, the only input the clocks are rebuilt from. Resolving
 * and reopening are state changes (to `resolved`/`closed`, and back out of them).
 */
export type TicketEvent =
  | ({ readonly type: 'created'; readonly at: Date } & TicketFacts)
  | { readonly type: 'stateChanged'; readonly at: Date; readonly state: TicketState }
  | {
      readonly type: 'replied';
      readonly at: Date;
      /** `system` covers automatic notes and acknowledgements: they are nobody's response. */
      readonly by: 'agent' | 'customer' | 'system';
      readonly public: boolean;
    }
  | { readonly type: 'priorityChanged'; readonly at: Date; readonly priority: TicketPriority }
  | { readonly type: 'categoryChanged'; readonly at: Date; readonly category: string | null }
  /** A policy set by hand; `null` returns the ticket to matching by conditions. */
  | { readonly type: 'policyChanged'; readonly at: Date; readonly policyId: string | null };
