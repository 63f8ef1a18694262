import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { Logger } from '../core/logger.js';
import { apiError, conflict, notFound } from '../http/errors.js';
import type { SessionUser } from '../http/request-state.js';
import { classify, TEST_FAILURES } from '../notify/channel-test.js';
import type { NotifyRepository } from '../notify/notify.repository.js';
import type { DashboardService } from './dashboard.service.js';
import { documentCsv, documentXlsx, EXPORT_TYPES, type ExportFormat } from './report-export.js';
import { documentPdf } from './report-pdf.js';
import { REPORT_LANGUAGES, type ReportLanguage } from './report-text.js';
import {
  nextRun,
  previousRun,
  SCHEDULE_CALENDARS,
  SCHEDULE_FREQUENCIES,
  type Recurrence,
} from './schedule-time.js';

const isZone = (tz: string) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz);

const scheduleFields = {
  name: z.string().trim().min(1).max(200),
  branchId: z.uuid().nullable(),
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  hour: z.number().int().min(0).max(23),
  weekday: z.number().int().min(0).max(6),
  timeZone: z.string().refine(isZone, 'an IANA time zone such as Asia/Tehran'),
  calendar: z.enum(SCHEDULE_CALENDARS),
  language: z.enum(REPORT_LANGUAGES),
  formats: z
    .array(z.enum(['pdf', 'xlsx', 'csv']))
    .min(1)
    .max(3),
  recipients: z.array(z.email()).min(1).max(50),
  targetPercent: z.number().min(0).max(100),
  enabled: z.boolean(),
};

export const scheduleBody = z.strictObject({
  ...scheduleFields,
  branchId: scheduleFields.branchId.default(null),
  weekday: scheduleFields.weekday.default(6),
  calendar: scheduleFields.calendar.default('gregorian'),
  targetPercent: scheduleFields.targetPercent.default(99.5),
  enabled: scheduleFields.enabled.default(true),
  /** Platform admins name the tenant. */
  tenantId: z.uuid().optional(),
});
export const schedulePatch = z.strictObject(scheduleFields).partial();
export type ScheduleBody = z.output<typeof scheduleBody>;

export const schedule = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  branchId: z.string().nullable(),
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  hour: z.number(),
  weekday: z.number(),
  timeZone: z.string(),
  calendar: z.enum(SCHEDULE_CALENDARS),
  language: z.enum(REPORT_LANGUAGES),
  formats: z.array(z.string()),
  recipients: z.array(z.string()),
  targetPercent: z.number(),
  enabled: z.boolean(),
  nextAt: z.string(),
  lastSentAt: z.string().nullable(),
  /** How the latest occurrence's mails went, one a recipient; null before the first. */
  lastDelivery: z
    .object({
      at: z.string(),
      sent: z.number(),
      waiting: z.number(),
      failed: z.array(
        z.object({
          address: z.string(),
          /** Given up after the outbox's retries (a dead letter), or still retrying. */
          final: z.boolean(),
          reason: z.enum(TEST_FAILURES),
          error: z.string(),
        }),
      ),
    })
    .nullable(),
});
export type ScheduleDelivery = z.output<typeof schedule>['lastDelivery'];

export interface Schedule extends Recurrence {
  id: string;
  tenantId: string;
  name: string;
  branchId: string | null;
  language: ReportLanguage;
  formats: ExportFormat[];
  recipients: string[];
  targetPercent: number;
  enabled: boolean;
  nextAt: Date;
  lastSentAt: Date | null;
}

const TABLE = 'report_schedules';

const fromRow = (r: Record<string, unknown>): Schedule => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  name: r.name as string,
  branchId: (r.branch_id as string | null) ?? null,
  frequency: r.frequency as Schedule['frequency'],
  hour: Number(r.hour),
  weekday: Number(r.weekday),
  timeZone: r.time_zone as string,
  calendar: r.calendar as Schedule['calendar'],
  language: r.language as ReportLanguage,
  formats: r.formats as ExportFormat[],
  recipients: r.recipients as string[],
  targetPercent: Number(r.target_percent),
  enabled: r.enabled as boolean,
  nextAt: r.next_at as Date,
  lastSentAt: (r.last_sent_at as Date | null) ?? null,
});

const toRow = (v: Partial<Omit<Schedule, 'id'>>) => {
  const row: Record<string, unknown> = {};
  const map: [keyof Omit<Schedule, 'id'>, string][] = [
    ['tenantId', 'tenant_id'],
    ['name', 'name'],
    ['branchId', 'branch_id'],
    ['frequency', 'frequency'],
    ['hour', 'hour'],
    ['weekday', 'weekday'],
    ['timeZone', 'time_zone'],
    ['calendar', 'calendar'],
    ['language', 'language'],
    ['formats', 'formats'],
    ['recipients', 'recipients'],
    ['targetPercent', 'target_percent'],
    ['enabled', 'enabled'],
    ['nextAt', 'next_at'],
  ];
  for (const [k, col] of map) if (v[k] !== undefined) row[col] = v[k];
  return row;
};

/** Answers a schedule as the API shows it. */
export const scheduleAnswer = (s: Schedule, lastDelivery: ScheduleDelivery = null) => ({
  ...s,
  nextAt: s.nextAt.toISOString(),
  lastSentAt: s.lastSentAt?.toISOString() ?? null,
  lastDelivery,
});

type OutboxRow = Awaited<ReturnType<NotifyRepository['lastReportDeliveries']>>[number];

/** The latest mails of one schedule, summed up: sent, waiting, and why any failed. */
function deliverySummary(rows: OutboxRow[]): ScheduleDelivery {
  if (rows.length === 0) return null;
  const failed = rows
    .filter((r) => r.lastError !== null && r.status !== 'sent')
    .map((r) => {
      const { reason, error } = classify(r.lastError!);
      return { address: r.address, final: r.status === 'dead', reason, error };
    });
  return {
    at: new Date(Math.max(...rows.map((r) => r.createdAt.getTime()))).toISOString(),
    sent: rows.filter((r) => r.status === 'sent').length,
    waiting: rows.filter((r) => r.status === 'pending' && r.lastError === null).length,
    failed,
  };
}

/**
 * Scheduled reports (docs/reports.md "Scheduled reports"): the tenant's dashboard over the period
 * since the previous occurrence, as PDF, Excel or CSV attachments, mailed through the hub's
 * mail channel (the notification outbox: retries, once per recipient and occurrence).
 */
export class ReportSchedules {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Request-scoped: the API's reads and writes under row-level security. */
    private readonly db: Database,
    /** The pool: the minute's sweep across tenants. */
    private readonly rootDb: Database,
    private readonly dashboards: DashboardService,
    private readonly outbox: { repo: NotifyRepository; kick: () => void; mail: boolean },
    private readonly logger: Logger,
  ) {}

  async list(user: SessionUser) {
    const q = this.db(TABLE).orderBy('name');
    if (user.tenantId) q.where('tenant_id', user.tenantId);
    return (await q).map(fromRow);
  }

  /**
   * The people a report may go to: the tenant's users who gave a mail address in their
   * notification settings (docs/notifications.md), by name. A global admin names the tenant.
   */
  async people(user: SessionUser, tenantId: string | undefined) {
    const tenant = user.tenantId ?? tenantId;
    const q = this.db('users')
      .join('notify_preferences as p', 'p.user_id', 'users.id')
      .whereNotNull('p.email')
      .whereNull('users.disabled_at')
      .orderBy('users.username')
      .select('users.id', 'users.username', 'p.email');
    if (tenant) q.where('users.tenant_id', tenant);
    else q.whereNull('users.tenant_id');
    return (await q) as { id: string; username: string; email: string }[];
  }

  /** The schedules as the API answers them, each with how its latest mails went. */
  async listAnswered(user: SessionUser) {
    const schedules = await this.list(user);
    const rows = await this.outbox.repo.lastReportDeliveries(schedules.map((s) => s.id));
    return schedules.map((s) =>
      scheduleAnswer(s, deliverySummary(rows.filter((r) => r.scheduleId === s.id))),
    );
  }

  async create(user: SessionUser, body: ScheduleBody, now = new Date()) {
    const { tenantId: named, ...values } = body;
    const tenantId = user.tenantId ?? named;
    if (!tenantId)
      throw apiError(400, 'BW_ERR_VALIDATION', 'tenantId: required for users of every tenant', {
        field: 'tenantId',
      });
    await this.checkBranch(tenantId, values.branchId);
    const [row] = await this.db(TABLE)
      .insert({
        ...toRow({ ...values, tenantId, nextAt: nextRun(values, now) }),
        created_by: user.id || null,
      })
      .returning('*');
    return fromRow(row as Record<string, unknown>);
  }

  async update(
    id: string,
    user: SessionUser,
    patch: z.output<typeof schedulePatch>,
    now = new Date(),
  ) {
    const before = await this.visible(id, user);
    const after = { ...before, ...patch };
    if (patch.branchId !== undefined) await this.checkBranch(before.tenantId, patch.branchId);
    const [row] = await this.db(TABLE)
      .where('id', id)
      .update(toRow({ ...patch, nextAt: nextRun(after, now) }))
      .returning('*');
    return fromRow(row as Record<string, unknown>);
  }

  async remove(id: string, user: SessionUser) {
    await this.visible(id, user);
    await this.db(TABLE).where('id', id).delete();
  }

  /** "Send now": the period so far since the last occurrence, to every recipient at once. */
  async sendNow(id: string, user: SessionUser, now = new Date()) {
    const s = await this.visible(id, user);
    if (!this.outbox.mail) throw conflict('mail is not set up on this hub (BW_SMTP_URL)');
    return this.send(s, previousRun(s, now), now, `now:${now.toISOString()}`);
  }

  start(intervalMs = 60_000) {
    this.timer = setInterval(() => {
      this.sweep(new Date()).catch((err: unknown) =>
        this.logger.error({ err }, 'scheduled reports sweep failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
  }

  /**
   * Sends every schedule due at `now` (tests move `now`). Each occurrence is claimed by moving
   * `next_at` on only if it still holds the value read: one hub process sends it.
   */
  async sweep(now: Date): Promise<number> {
    if (!this.outbox.mail) return 0;
    const due = (await this.rootDb(TABLE).where('enabled', true).where('next_at', '<=', now)).map(
      fromRow,
    );
    let sent = 0;
    for (const s of due) {
      const claimed = await this.rootDb(TABLE)
        .where({ id: s.id, next_at: s.nextAt })
        .update({ next_at: nextRun(s, now), last_sent_at: now });
      if (!claimed) continue;
      try {
        await this.send(s, previousRun(s, s.nextAt), s.nextAt, s.nextAt.toISOString());
        sent++;
      } catch (err) {
        this.logger.error({ err, schedule: s.id }, 'scheduled report failed');
      }
    }
    return sent;
  }

  private async send(s: Schedule, from: Date, to: Date, occurrence: string) {
    const query = {
      from,
      to,
      tenantId: s.tenantId,
      branchId: s.branchId,
      targetPercent: s.targetPercent,
    };
    const doc = await this.dashboards.document(query, s.language, s.timeZone, to);
    const attachments = [];
    for (const format of s.formats) {
      const body =
        format === 'pdf'
          ? await documentPdf(doc)
          : format === 'xlsx'
            ? await documentXlsx(doc)
            : Buffer.from(documentCsv(doc));
      attachments.push({
        filename: `${fileName(s.name)}.${format}`,
        contentType: EXPORT_TYPES[format].split(';')[0]!,
        base64: Buffer.from(body).toString('base64'),
      });
    }
    const text = [doc.title, ...doc.facts.map(([k, v]) => `${k}: ${v}`)].join('\n');
    let queued = 0;
    for (const address of s.recipients) {
      const added = await this.outbox.repo.enqueue({
        tenantId: s.tenantId,
        channel: 'email',
        address,
        eventType: 'report.scheduled',
        dedupeKey: `report:${s.id}:${occurrence}:${address}`,
        message: {
          event: 'report.scheduled',
          address,
          language: s.language,
          subject: `${s.name} — ${doc.facts[0]?.[1] ?? doc.title}`,
          text,
          data: { schedule: s.name },
          attachments,
        },
      });
      if (added) queued++;
    }
    if (queued) this.outbox.kick();
    return { queued, from: from.toISOString(), to: to.toISOString() };
  }

  private async visible(id: string, user: SessionUser): Promise<Schedule> {
    const row = await this.db(TABLE).where('id', id).first();
    if (!row || (user.tenantId && row.tenant_id !== user.tenantId))
      throw notFound('BW_ERR_NOT_FOUND', `report schedule ${id} does not exist`);
    return fromRow(row as Record<string, unknown>);
  }

  private async checkBranch(tenantId: string, branchId: string | null | undefined) {
    if (!branchId) return;
    const row = await this.db('branches').where({ id: branchId, tenant_id: tenantId }).first('id');
    if (!row)
      throw apiError(400, 'BW_ERR_VALIDATION', 'branchId: this branch does not exist', {
        field: 'branchId',
      });
  }
}

/** A file name a mail client keeps: the schedule's name without path or control characters. */
function fileName(name: string) {
  return (
    [...name]
      .map((c) => (c.charCodeAt(0) < 32 ? ' ' : c))
      .join('')
      .replace(/[\\/:*?"<>|]+/g, ' ')
      .trim()
      .slice(0, 80) || 'report'
  );
}
