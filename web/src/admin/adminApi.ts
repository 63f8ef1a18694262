import type { ApiClient } from '../api/client';
import type { Agent, Branch, Check, ItemList } from '../api/types';

// Typed calls for the admin pages over `api.send`, for the routes that exist in the hub
// (hub/src/routes: inventory, check-config, enrollment, alerts, helpdesk-admin). Users, roles,
// tenants and 2FA are in identityApi.ts, written before their routes were.

export interface AdminAgent extends Agent {
  config?: { revision: number; appliedRevision: number | null; error: string | null };
}

export interface ManagedCheck extends Check {
  managed?: boolean;
  intervalSeconds?: number | null;
  timeoutSeconds?: number | null;
  options?: Record<string, unknown> | null;
}

export interface IssuedAgent {
  agent: AdminAgent;
  credentials: { username: string; password: string };
  /** The agent's config file (YAML) with the password: shown once. */
  config: string;
}

export interface EnrollmentToken {
  token: string;
  expiresAt: string;
  branchId: string;
  agentSlug: string;
  installCommand: string;
  enrollCommand: string;
}

export interface CheckSpec {
  key: string;
  type: string;
  target: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  options?: Record<string, unknown>;
}

export type Criticality = 'low' | 'normal' | 'high' | 'critical';

export interface Threshold {
  field: string;
  op: '>' | '>=' | '<' | '<=';
  value: number;
  abs?: boolean;
  enabled?: boolean;
}

export interface AlertRule {
  scope: 'tenant' | 'branch' | 'check';
  scopeId: string;
  checkType: string;
  thresholds: Threshold[];
  failRounds?: number | null;
  recoverRounds?: number | null;
}

export interface MaintenanceWindow {
  id: string;
  scope: 'tenant' | 'branch' | 'agent' | 'check';
  scopeId: string;
  reason: string;
  startsAt: string | null;
  endsAt: string | null;
  weekly: Record<string, string[]> | null;
  zone: string | null;
}

export interface SlaCalendar {
  id: string;
  name: string;
  spec: { zone: string; week: Record<string, string[]>; holidays: unknown[] };
}

export const ESCALATION_ACTIONS = ['notify', 'reassign', 'raise_priority'] as const;
export const SLA_CLOCKS = ['firstResponse', 'resolution'] as const;

/** A level fires `offsetMs` after the clock's deadline (negative: before it). */
export interface SlaEscalation {
  name: string;
  offsetMs: number;
  action: (typeof ESCALATION_ACTIONS)[number];
  /** Which clocks it watches; absent: both. */
  clocks?: (typeof SLA_CLOCKS)[number][];
}

export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  calendarId: string;
  firstResponseMs: number | null;
  resolutionMs: number | null;
  warningShare: number;
  escalations?: SlaEscalation[];
}

const id = encodeURIComponent;

export function adminApi(api: ApiClient) {
  const items = async <T>(path: string) => (await api.send<ItemList<T>>('GET', path)).items;
  return {
    branches: () => items<Branch>('/api/v1/branches'),
    createBranch: async (input: { slug: string; name?: string }) =>
      (await api.send<{ branch: Branch }>('POST', '/api/v1/branches', input)).branch,
    /** No GET exists for these two (alerts.routes.ts): the page can set them, not show them. */
    setBranchAlerting: (
      branchId: string,
      input: { criticality?: Criticality; timeZone?: string },
    ) => api.send<void>('PUT', `/api/v1/alerts/branches/${id(branchId)}`, input),

    agents: () => items<AdminAgent>('/api/v1/agents'),
    createAgent: (input: { branchId: string; slug: string; name?: string }) =>
      api.send<IssuedAgent>('POST', '/api/v1/agents', input),
    enrollmentToken: (input: { branchId: string; agentSlug?: string }) =>
      api.send<EnrollmentToken>('POST', '/api/v1/enrollment-tokens', input),

    checks: () => items<ManagedCheck>('/api/v1/checks'),
    addCheck: async (agentId: string, spec: CheckSpec) =>
      (
        await api.send<{ check: ManagedCheck }>(
          'POST',
          `/api/v1/agents/${id(agentId)}/checks`,
          spec,
        )
      ).check,
    changeCheck: async (checkId: string, change: Omit<CheckSpec, 'key'>) =>
      (await api.send<{ check: ManagedCheck }>('PATCH', `/api/v1/checks/${id(checkId)}`, change))
        .check,
    removeCheck: (checkId: string) => api.send<void>('DELETE', `/api/v1/checks/${id(checkId)}`),

    alertRules: () => items<AlertRule>('/api/v1/alerts/rules'),
    putAlertRule: (rule: AlertRule) => api.send<unknown>('PUT', '/api/v1/alerts/rules', rule),
    deleteAlertRule: (rule: Pick<AlertRule, 'scope' | 'scopeId' | 'checkType'>) =>
      api.send<void>(
        'DELETE',
        `/api/v1/alerts/rules/${rule.scope}/${id(rule.scopeId)}/${id(rule.checkType)}`,
      ),

    maintenance: () => items<MaintenanceWindow>('/api/v1/alerts/maintenance'),
    createMaintenance: (input: Omit<MaintenanceWindow, 'id' | 'weekly' | 'zone'>) =>
      api.send<unknown>('POST', '/api/v1/alerts/maintenance', input),
    deleteMaintenance: (windowId: string) =>
      api.send<void>('DELETE', `/api/v1/alerts/maintenance/${id(windowId)}`),

    calendars: () => items<SlaCalendar>('/api/v1/sla/calendars'),
    createCalendar: (input: Omit<SlaCalendar, 'id'>) =>
      api.send<unknown>('POST', '/api/v1/sla/calendars', input),
    deleteCalendar: (calendarId: string) =>
      api.send<void>('DELETE', `/api/v1/sla/calendars/${id(calendarId)}`),
    policies: () => items<SlaPolicy>('/api/v1/sla/policies'),
    createPolicy: (input: Omit<SlaPolicy, 'id' | 'position' | 'warningShare'>) =>
      api.send<unknown>('POST', '/api/v1/sla/policies', input),
    changePolicy: (policyId: string, change: Partial<Omit<SlaPolicy, 'id'>>) =>
      api.send<unknown>('PATCH', `/api/v1/sla/policies/${id(policyId)}`, change),
    deletePolicy: (policyId: string) =>
      api.send<void>('DELETE', `/api/v1/sla/policies/${id(policyId)}`),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
