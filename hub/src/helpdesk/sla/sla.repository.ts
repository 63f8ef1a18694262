import type { BusinessCalendarSpec } from '@branchwatch/sla';
import { runExclusively } from '../../db/job-lock.js';
import type { Database } from '../../db/database.js';
import type { StoredPolicy } from './sla-mapping.js';

export interface StoredCalendar {
  id: string;
  tenantId: string | null;
  name: string;
  spec: BusinessCalendarSpec;
}

export type PolicyRow = StoredPolicy & { tenantId: string | null; name: string; position: number };

const calendarView = (r: Record<string, unknown>): StoredCalendar => ({
  id: r.id as string,
  tenantId: r.tenant_id as string | null,
  name: r.name as string,
  spec: r.spec as BusinessCalendarSpec,
});

const policyView = (r: Record<string, unknown>): PolicyRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string | null,
  name: r.name as string,
  position: r.position as number,
  calendarId: r.calendar_id as string,
  firstResponseMs: r.first_response_ms as number | null,
  resolutionMs: r.resolution_ms as number | null,
  warningShare: r.warning_share as number,
  escalations: r.escalations as PolicyRow['escalations'],
  conditions: r.conditions as PolicyRow['conditions'],
});

const policyColumns = (p: Partial<Omit<PolicyRow, 'id'>>) => ({
  ...(p.tenantId !== undefined ? { tenant_id: p.tenantId } : {}),
  ...(p.name !== undefined ? { name: p.name } : {}),
  ...(p.position !== undefined ? { position: p.position } : {}),
  ...(p.calendarId !== undefined ? { calendar_id: p.calendarId } : {}),
  ...(p.firstResponseMs !== undefined ? { first_response_ms: p.firstResponseMs } : {}),
  ...(p.resolutionMs !== undefined ? { resolution_ms: p.resolutionMs } : {}),
  ...(p.warningShare !== undefined ? { warning_share: p.warningShare } : {}),
  ...(p.escalations !== undefined ? { escalations: JSON.stringify(p.escalations) } : {}),
  ...(p.conditions !== undefined ? { conditions: JSON.stringify(p.conditions) } : {}),
});

/** SLA calendars and policies, and the advisory lock of the SLA sweep. */
export class SlaRepository {
  constructor(private readonly db: Database) {}

  /** A tenant's calendars and the shared ones (tenant null); every one for null. */
  async calendars(tenantId: string | null): Promise<StoredCalendar[]> {
    const rows = await this.db('sla_calendars')
      .modify((q) => {
        if (tenantId) q.where((w) => w.where('tenant_id', tenantId).orWhereNull('tenant_id'));
      })
      .orderBy('name');
    return rows.map(calendarView);
  }

  /** The zone most of the tenant's branches keep (every branch's for null), if any. */
  async commonBranchZone(tenantId: string | null): Promise<string | undefined> {
    const row = await this.db('branches')
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .groupBy('time_zone')
      .orderByRaw('count(*) DESC, time_zone')
      .first('time_zone');
    return (row as { time_zone?: string } | undefined)?.time_zone;
  }

  async findCalendar(id: string): Promise<StoredCalendar | undefined> {
    const row = await this.db('sla_calendars').where({ id }).first();
    return row ? calendarView(row) : undefined;
  }

  async createCalendar(values: Omit<StoredCalendar, 'id'>): Promise<StoredCalendar> {
    const [row] = await this.db('sla_calendars')
      .insert({ tenant_id: values.tenantId, name: values.name, spec: JSON.stringify(values.spec) })
      .returning('*');
    return calendarView(row);
  }

  async updateCalendar(id: string, values: { name?: string; spec?: BusinessCalendarSpec }) {
    await this.db('sla_calendars')
      .where({ id })
      .update({
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.spec !== undefined ? { spec: JSON.stringify(values.spec) } : {}),
      });
  }

  /** False when a policy still uses the calendar. */
  async removeCalendar(id: string): Promise<boolean> {
    const used = await this.db('sla_policies').where({ calendar_id: id }).first('id');
    if (used) return false;
    await this.db('sla_calendars').where({ id }).delete();
    return true;
  }

  /** Policies in matching order: a tenant's and the shared ones; every one for null. */
  async policies(tenantId: string | null): Promise<PolicyRow[]> {
    const rows = await this.db('sla_policies')
      .modify((q) => {
        if (tenantId) q.where((w) => w.where('tenant_id', tenantId).orWhereNull('tenant_id'));
      })
      .orderBy(['position', 'created_at', 'id']);
    return rows.map(policyView);
  }

  async findPolicy(id: string): Promise<PolicyRow | undefined> {
    const row = await this.db('sla_policies').where({ id }).first();
    return row ? policyView(row) : undefined;
  }

  async createPolicy(values: Omit<PolicyRow, 'id'>): Promise<PolicyRow> {
    const [row] = await this.db('sla_policies').insert(policyColumns(values)).returning('*');
    return policyView(row);
  }

  async updatePolicy(id: string, values: Partial<Omit<PolicyRow, 'id'>>): Promise<void> {
    const columns = policyColumns(values);
    if (Object.keys(columns).length) await this.db('sla_policies').where({ id }).update(columns);
  }

  async removePolicy(id: string): Promise<void> {
    await this.db('sla_policies').where({ id }).delete();
  }

  /** Runs `work` once across hub processes (db/job-lock.ts). */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    return runExclusively(this.db, name, () => work());
  }
}
