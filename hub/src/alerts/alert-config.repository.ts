import type { Database } from '../db/database.js';
import type { RuleScope, RuleSet } from './rules.js';
import type { Threshold } from './thresholds.js';
import type { MaintenanceWindow, WindowScope } from './maintenance.js';

export interface ParentLink {
  id: string;
  tenantId: string;
  parentCheckId: string;
  childCheckId: string;
}

interface RuleRow {
  tenant_id: string;
  scope: RuleScope;
  scope_id: string;
  check_type: string;
  thresholds: Threshold[];
  fail_rounds: number | null;
  recover_rounds: number | null;
  flap_changes: number | null;
  flap_window_seconds: number | null;
  flap_quiet_seconds: number | null;
}

interface WindowRow {
  id: string;
  tenant_id: string;
  scope: WindowScope;
  scope_id: string;
  reason: string;
  starts_at: Date | null;
  ends_at: Date | null;
  weekly: MaintenanceWindow['weekly'];
  recurrence: MaintenanceWindow['recurrence'];
  zone: string | null;
}

/** What admins configure for alerts: rule sets, maintenance windows and parent links. */
export class AlertConfigRepository {
  constructor(private readonly db: Database) {}

  async listRules(tenantId: string | null = null): Promise<RuleSet[]> {
    const rows: RuleRow[] = await this.db('alert_rules')
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .orderBy(['scope', 'scope_id', 'check_type']);
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      scope: r.scope,
      scopeId: r.scope_id,
      checkType: r.check_type,
      thresholds: r.thresholds,
      failRounds: r.fail_rounds,
      recoverRounds: r.recover_rounds,
      flapChanges: r.flap_changes,
      flapWindowSeconds: r.flap_window_seconds,
      flapQuietSeconds: r.flap_quiet_seconds,
    }));
  }

  /** Creates or replaces the rule set of (scope, scope id, check type). */
  async putRule(rule: RuleSet): Promise<void> {
    const values = {
      tenant_id: rule.tenantId,
      thresholds: JSON.stringify(rule.thresholds),
      fail_rounds: rule.failRounds,
      recover_rounds: rule.recoverRounds,
      flap_changes: rule.flapChanges,
      flap_window_seconds: rule.flapWindowSeconds,
      flap_quiet_seconds: rule.flapQuietSeconds,
      updated_at: new Date(),
    };
    await this.db('alert_rules')
      .insert({ scope: rule.scope, scope_id: rule.scopeId, check_type: rule.checkType, ...values })
      .onConflict(['scope', 'scope_id', 'check_type'])
      .merge(values);
  }

  async deleteRule(scope: RuleScope, scopeId: string, checkType: string): Promise<boolean> {
    const n = await this.db('alert_rules')
      .where({ scope, scope_id: scopeId, check_type: checkType })
      .delete();
    return n > 0;
  }

  async listWindows(tenantId: string | null): Promise<MaintenanceWindow[]> {
    const rows: WindowRow[] = await this.db('maintenance_windows')
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .orderBy('created_at');
    return rows.map(toWindow);
  }

  async createWindow(w: Omit<MaintenanceWindow, 'id'>): Promise<MaintenanceWindow> {
    const [row] = (await this.db('maintenance_windows')
      .insert({
        tenant_id: w.tenantId,
        scope: w.scope,
        scope_id: w.scopeId,
        reason: w.reason,
        starts_at: w.startsAt,
        ends_at: w.endsAt,
        weekly: w.weekly ? JSON.stringify(w.weekly) : null,
        recurrence: w.recurrence ? JSON.stringify(w.recurrence) : null,
        zone: w.zone,
      })
      .returning('*')) as WindowRow[];
    return toWindow(row!);
  }

  async deleteWindow(id: string, tenantId: string | null): Promise<boolean> {
    const n = await this.db('maintenance_windows')
      .where({ id })
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .delete();
    return n > 0;
  }

  async listLinks(tenantId: string | null): Promise<ParentLink[]> {
    const rows = await this.db('alert_parent_links')
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .select('id', 'tenant_id', 'parent_check_id', 'child_check_id');
    return rows.map(toLink);
  }

  async createLink(link: Omit<ParentLink, 'id'>): Promise<ParentLink> {
    const [row] = await this.db('alert_parent_links')
      .insert({
        tenant_id: link.tenantId,
        parent_check_id: link.parentCheckId,
        child_check_id: link.childCheckId,
      })
      .onConflict(['parent_check_id', 'child_check_id'])
      .merge({ tenant_id: link.tenantId })
      .returning(['id', 'tenant_id', 'parent_check_id', 'child_check_id']);
    return toLink(row);
  }

  async deleteLink(id: string, tenantId: string | null): Promise<boolean> {
    const n = await this.db('alert_parent_links')
      .where({ id })
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .delete();
    return n > 0;
  }

  async setCheckRole(checkId: string, role: 'wan' | null): Promise<boolean> {
    return (await this.db('checks').where({ id: checkId }).update({ role })) > 0;
  }

  async setBranchSettings(
    branchId: string,
    values: { criticality?: string | undefined; timeZone?: string | undefined },
  ): Promise<boolean> {
    const patch = {
      ...(values.criticality ? { criticality: values.criticality } : {}),
      ...(values.timeZone ? { time_zone: values.timeZone } : {}),
    };
    if (Object.keys(patch).length === 0) return true;
    return (await this.db('branches').where({ id: branchId }).update(patch)) > 0;
  }

  /** The tenant a scope belongs to, or undefined when it does not exist. */
  async tenantOf(
    scope: 'tenant' | 'branch' | 'agent' | 'check',
    id: string,
  ): Promise<string | undefined> {
    if (scope === 'tenant') {
      return (await this.db('tenants').where({ id }).first('id'))?.id as string | undefined;
    }
    const table = { branch: 'branches', agent: 'agents', check: 'checks' }[scope];
    return (await this.db(table).where({ id }).first('tenant_id'))?.tenant_id as string | undefined;
  }
}

function toWindow(r: WindowRow): MaintenanceWindow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    scope: r.scope,
    scopeId: r.scope_id,
    reason: r.reason,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    weekly: r.weekly,
    recurrence: r.recurrence,
    zone: r.zone,
  };
}

function toLink(r: {
  id: string;
  tenant_id: string;
  parent_check_id: string;
  child_check_id: string;
}): ParentLink {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    parentCheckId: r.parent_check_id,
    childCheckId: r.child_check_id,
  };
}
