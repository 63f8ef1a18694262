import type { Agent, Branch, Check, DeskEvent, Ticket } from './types';

// Builders for tests: every field the API answers, with quiet defaults, so a test names only
// what it is about and still gets the whole shape the generated types require.

export function aBranch(fields: Partial<Branch> & Pick<Branch, 'id'>): Branch {
  return {
    tenant: 'acme',
    slug: fields.id,
    name: fields.id,
    address: null,
    latitude: null,
    longitude: null,
    timeZone: 'UTC',
    criticality: 'normal',
    ...fields,
  };
}

export function aCheck(fields: Partial<Check> & Pick<Check, 'id'>): Check {
  return {
    agentId: 'a1',
    branchId: 'b1',
    key: fields.id,
    type: 'icmp',
    target: '192.0.2.1',
    managed: false,
    source: 'file',
    replacesFile: false,
    role: null,
    intervalSeconds: null,
    timeoutSeconds: null,
    options: null,
    agentRuns: 'running',
    refusal: null,
    effectiveIntervalSeconds: 60,
    state: 'ok',
    stateSince: null,
    staleSince: null,
    lastResult: null,
    ...fields,
  };
}

export function anAgent(fields: Partial<Agent> & Pick<Agent, 'id' | 'branchId'>): Agent {
  return {
    tenant: 'acme',
    branch: fields.branchId,
    slug: fields.id,
    name: fields.id,
    online: true,
    lastSeenAt: null,
    version: null,
    username: fields.id,
    config: {
      revision: 0,
      appliedRevision: null,
      error: null,
      checks: null,
      refused: [],
      defaults: null,
    },
    spool: null,
    ...fields,
  };
}

export function aTicket(fields: Partial<Ticket> & Pick<Ticket, 'id'>): Ticket {
  return {
    number: 1,
    subject: 's',
    state: 'open',
    priority: 'normal',
    category: null,
    source: 'alert',
    branchId: null,
    agentId: null,
    checkId: null,
    assigneeId: null,
    groupId: null,
    mergedIntoId: null,
    requesterName: null,
    requesterContact: null,
    version: 1,
    openedAt: '2026-11-21T10:00:00Z',
    resolvedAt: null,
    updatedAt: '2026-11-21T10:00:00Z',
    ...fields,
  };
}

export function anEvent(fields: Partial<DeskEvent> & Pick<DeskEvent, 'id' | 'at'>): DeskEvent {
  return { kind: 'note', visibility: 'public', body: null, author: null, ...fields };
}
