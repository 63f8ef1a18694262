import type { ApiClient } from './client';
import type { Agent, ApiAnswer, ApiBody, Branch, Check, ItemList } from './types';

// Typed calls for the admin pages over `api.send`: branches, agents, checks, enrollment, alert
// rules, maintenance and SLA. Every type is named out of the generated API types (types.ts).

export type AdminAgent = Agent;
export type ManagedCheck = Check;
export type IssuedAgent = ApiAnswer<'/api/v1/agents', 'post'>;
export type EnrollmentToken = ApiAnswer<'/api/v1/enrollment-tokens', 'post'>;
export type CheckSpec = ApiBody<'/api/v1/agents/{id}/checks', 'post'>;
export type CheckChange = ApiBody<'/api/v1/checks/{id}', 'patch'>;
export type Criticality = NonNullable<
  ApiBody<'/api/v1/alerts/branches/{id}', 'put'>['criticality']
>;
export type BranchChange = ApiBody<'/api/v1/branches/{id}', 'patch'>;
export type AlertRule = ApiAnswer<'/api/v1/alerts/rules', 'get'>['items'][number];
export type AlertRuleInput = ApiBody<'/api/v1/alerts/rules', 'put'>;
export type Threshold = AlertRule['thresholds'][number];
export type AlertDefaults = ApiAnswer<'/api/v1/alerts/rules/defaults', 'get'>;
export type MaintenanceWindow = ApiAnswer<'/api/v1/alerts/maintenance', 'get'>['items'][number];
export type NewMaintenanceWindow = ApiBody<'/api/v1/alerts/maintenance', 'post'>;
export type SlaCalendar = ApiAnswer<'/api/v1/sla/calendars', 'get'>['items'][number];
export type NewSlaCalendar = ApiBody<'/api/v1/sla/calendars', 'post'>;
export type CalendarDefaults = ApiAnswer<'/api/v1/sla/calendar-defaults', 'get'>;
export type SlaPolicy = ApiAnswer<'/api/v1/sla/policies', 'get'>['items'][number];
export type NewSlaPolicy = ApiBody<'/api/v1/sla/policies', 'post'>;
export type SlaPolicyChange = ApiBody<'/api/v1/sla/policies/{id}', 'patch'>;
/** A level fires `offsetMs` after the clock's deadline (negative: before it). */
export type SlaEscalation = NonNullable<SlaPolicy['escalations']>[number];
export { ESCALATION_ACTIONS, SLA_CLOCKS } from '@branchwatch/api';
export type SupportGroup = ApiAnswer<'/api/v1/support-groups', 'get'>['items'][number];
export type SupportGroupDetail = ApiAnswer<'/api/v1/support-groups/{id}', 'get'>;
export type NewSupportGroup = ApiBody<'/api/v1/support-groups', 'post'>;
export type SupportGroupChange = ApiBody<'/api/v1/support-groups/{id}', 'patch'>;
export type GroupAssignment = SupportGroup['assignment'];
export type CannedReply = ApiAnswer<'/api/v1/canned-replies', 'get'>['items'][number];
export type NewCannedReply = ApiBody<'/api/v1/canned-replies', 'post'>;
export type CannedReplyChange = ApiBody<'/api/v1/canned-replies/{id}', 'patch'>;
export type Assignee = ApiAnswer<'/api/v1/assignees', 'get'>['items'][number];
export type AutomationRule = ApiAnswer<'/api/v1/automation/rules', 'get'>['items'][number];
export type NewAutomationRule = ApiBody<'/api/v1/automation/rules', 'post'>;
export type AutomationRuleChange = ApiBody<'/api/v1/automation/rules/{id}', 'patch'>;
export type AutomationRun = ApiAnswer<'/api/v1/automation/rules/{id}/runs', 'get'>['items'][number];
export type AutomationSimulation = ApiAnswer<'/api/v1/automation/simulate', 'post'>;
export type AutomationDraft = ApiBody<'/api/v1/automation/simulate', 'post'>['rule'];

const id = encodeURIComponent;

export function adminApi(api: ApiClient) {
  const items = async <T>(path: string) => (await api.send<ItemList<T>>('GET', path)).items;
  return {
    branches: () => items<Branch>('/api/v1/branches'),
    createBranch: async (input: { slug: string; name?: string }) =>
      (await api.send<{ branch: Branch }>('POST', '/api/v1/branches', input)).branch,
    updateBranch: async (branchId: string, change: BranchChange) =>
      (await api.send<{ branch: Branch }>('PATCH', `/api/v1/branches/${id(branchId)}`, change))
        .branch,
    /** 409 BW_ERR_BRANCH_IN_USE while agents, open tickets or scoped users need it. */
    deleteBranch: (branchId: string) =>
      api.send<void>('DELETE', `/api/v1/branches/${id(branchId)}`),
    /** Criticality has its own permission (alerts.manage); GET /branches shows it. */
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
    changeCheck: async (checkId: string, change: CheckChange) =>
      (await api.send<{ check: ManagedCheck }>('PATCH', `/api/v1/checks/${id(checkId)}`, change))
        .check,
    removeCheck: (checkId: string) => api.send<void>('DELETE', `/api/v1/checks/${id(checkId)}`),

    alertRules: () => items<AlertRule>('/api/v1/alerts/rules'),
    alertDefaults: () => api.send<AlertDefaults>('GET', '/api/v1/alerts/rules/defaults'),
    putAlertRule: (rule: AlertRuleInput) => api.send<unknown>('PUT', '/api/v1/alerts/rules', rule),
    deleteAlertRule: (rule: Pick<AlertRule, 'scope' | 'scopeId' | 'checkType'>) =>
      api.send<void>(
        'DELETE',
        `/api/v1/alerts/rules/${rule.scope}/${id(rule.scopeId)}/${id(rule.checkType)}`,
      ),

    maintenance: () => items<MaintenanceWindow>('/api/v1/alerts/maintenance'),
    createMaintenance: (input: NewMaintenanceWindow) =>
      api.send<unknown>('POST', '/api/v1/alerts/maintenance', input),
    deleteMaintenance: (windowId: string) =>
      api.send<void>('DELETE', `/api/v1/alerts/maintenance/${id(windowId)}`),

    calendars: () => items<SlaCalendar>('/api/v1/sla/calendars'),
    calendarDefaults: (language: string, zone?: string) =>
      api.send<CalendarDefaults>(
        'GET',
        `/api/v1/sla/calendar-defaults?${new URLSearchParams({ language, ...(zone ? { zone } : {}) })}`,
      ),
    createCalendar: (input: NewSlaCalendar) =>
      api.send<unknown>('POST', '/api/v1/sla/calendars', input),
    deleteCalendar: (calendarId: string) =>
      api.send<void>('DELETE', `/api/v1/sla/calendars/${id(calendarId)}`),
    policies: () => items<SlaPolicy>('/api/v1/sla/policies'),
    createPolicy: (input: NewSlaPolicy) => api.send<unknown>('POST', '/api/v1/sla/policies', input),
    changePolicy: (policyId: string, change: SlaPolicyChange) =>
      api.send<unknown>('PATCH', `/api/v1/sla/policies/${id(policyId)}`, change),
    deletePolicy: (policyId: string) =>
      api.send<void>('DELETE', `/api/v1/sla/policies/${id(policyId)}`),

    supportGroups: () => items<SupportGroup>('/api/v1/support-groups'),
    /** The group and its members, by name. */
    supportGroup: (groupId: string) =>
      api.send<SupportGroupDetail>('GET', `/api/v1/support-groups/${id(groupId)}`),
    createSupportGroup: (input: NewSupportGroup) =>
      api.send<unknown>('POST', '/api/v1/support-groups', input),
    changeSupportGroup: (groupId: string, change: SupportGroupChange) =>
      api.send<unknown>('PATCH', `/api/v1/support-groups/${id(groupId)}`, change),
    deleteSupportGroup: (groupId: string) =>
      api.send<void>('DELETE', `/api/v1/support-groups/${id(groupId)}`),
    addGroupMember: (groupId: string, userId: string) =>
      api.send<unknown>('PUT', `/api/v1/support-groups/${id(groupId)}/members/${id(userId)}`, {}),
    removeGroupMember: (groupId: string, userId: string) =>
      api.send<void>('DELETE', `/api/v1/support-groups/${id(groupId)}/members/${id(userId)}`),
    /** The people tickets (and so groups) can go to. */
    assignees: () => items<Assignee>('/api/v1/assignees'),

    cannedReplies: () => items<CannedReply>('/api/v1/canned-replies'),
    createCannedReply: (input: NewCannedReply) =>
      api.send<unknown>('POST', '/api/v1/canned-replies', input),
    changeCannedReply: (replyId: string, change: CannedReplyChange) =>
      api.send<unknown>('PATCH', `/api/v1/canned-replies/${id(replyId)}`, change),
    deleteCannedReply: (replyId: string) =>
      api.send<void>('DELETE', `/api/v1/canned-replies/${id(replyId)}`),

    automationRules: () => items<AutomationRule>('/api/v1/automation/rules'),
    createAutomationRule: (input: NewAutomationRule) =>
      api.send<unknown>('POST', '/api/v1/automation/rules', input),
    changeAutomationRule: (ruleId: string, change: AutomationRuleChange) =>
      api.send<unknown>('PATCH', `/api/v1/automation/rules/${id(ruleId)}`, change),
    deleteAutomationRule: (ruleId: string) =>
      api.send<void>('DELETE', `/api/v1/automation/rules/${id(ruleId)}`),
    automationRuns: (ruleId: string) =>
      items<AutomationRun>(`/api/v1/automation/rules/${id(ruleId)}/runs`),
    ticketAutomationRuns: (ticketId: string) =>
      items<AutomationRun>(`/api/v1/tickets/${id(ticketId)}/automation-runs`),
    simulateAutomation: (input: ApiBody<'/api/v1/automation/simulate', 'post'>) =>
      api.send<AutomationSimulation>('POST', '/api/v1/automation/simulate', input),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
