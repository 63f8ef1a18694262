import {
  signInMethodWords,
  signInReasonWords,
  signInReportWords,
  type Language,
} from '@branchwatch/api';
import type { Database } from '../../db/database.js';
import { apiError } from '../../http/errors.js';
import { CSV_BOM, csvRecord } from '../../http/csv.js';
import type { Administrator } from '../user-admin.service.js';
import { tenantOfAdmin } from './sign-in-settings.js';

/** The longest period one report covers. */
const MAX_DAYS = 366;
/** At most this many rows of a list (the counts are always whole). */
const LIST_LIMIT = 500;

export interface SsoReport {
  tenantId: string;
  from: Date;
  to: Date;
  /** Every provider of the tenant, and the hub's own password, with their counts. */
  providers: {
    providerId: string | null;
    name: string | null;
    method: string;
    signIns: number;
    failures: number;
  }[];
  failures: { reason: string; count: number }[];
  neverSignedIn: {
    total: number;
    items: { id: string; username: string; role: string; createdAt: Date; breakGlass: boolean }[];
  };
  breakGlass: {
    total: number;
    items: { at: Date; username: string | null; ip: string | null }[];
  };
  /**
   * SHA-1 signatures and clock skew seen in providers' answers: per provider and kind, how
   * many answers, how many of them signed in, the skew furthest from zero (seconds, positive:
   * the provider's clock ahead), and the last time.
   */
  findings: {
    providerId: string | null;
    name: string | null;
    kind: 'sha1' | 'clock_skew';
    count: number;
    signedIn: number;
    worstSeconds: number | null;
    lastAt: Date;
  }[];
}

/**
 * The SSO security report of a tenant over a period (docs/sso.md "Security report"): sign-ins
 * and refusals per provider, refusals by reason, enabled accounts that never signed in, and
 * break-glass sign-ins. Read in the request's scope: row-level security keeps each tenant's
 * admins to their own events, whatever tenant they name.
 */
export class SsoReportService {
  constructor(private readonly db: Database) {}

  async report(
    admin: Administrator,
    query: { tenantId?: string | undefined; from?: Date | undefined; to?: Date | undefined },
    now = new Date(),
  ): Promise<SsoReport> {
    const tenantId = await tenantOfAdmin(this.db, admin, query.tenantId);
    const to = query.to ?? now;
    const from = query.from ?? new Date(to.getTime() - 30 * 86400_000);
    if (from.getTime() >= to.getTime())
      throw apiError(400, 'BW_ERR_VALIDATION', 'to: must be after from', { field: 'to' });
    if (to.getTime() - from.getTime() > MAX_DAYS * 86400_000)
      throw apiError(400, 'BW_ERR_VALIDATION', `to: a report covers at most ${MAX_DAYS} days`, {
        field: 'to',
      });
    const events = () =>
      this.db('sign_in_events')
        .where({ tenant_id: tenantId })
        .where('at', '>=', from)
        .where('at', '<', to);

    const counted = (await events()
      .groupBy('provider_id', 'method')
      .select(
        'provider_id',
        'method',
        this.db.raw('count(*) FILTER (WHERE ok)::int AS sign_ins'),
        this.db.raw('count(*) FILTER (WHERE NOT ok)::int AS failures'),
      )) as { provider_id: string | null; method: string; sign_ins: number; failures: number }[];
    const known = (await this.db('identity_providers')
      .where({ tenant_id: tenantId })
      .orderBy('name')
      .select('id', 'name', 'kind')) as { id: string; name: string; kind: string }[];
    const providers: SsoReport['providers'] = [
      { providerId: null, name: null, method: 'password', signIns: 0, failures: 0 },
      ...known.map((p) => ({
        providerId: p.id,
        name: p.name,
        method: p.kind,
        signIns: 0,
        failures: 0,
      })),
    ];
    for (const row of counted) {
      // A provider removed since keeps its kind: one line per kind of those.
      const id = row.method === 'password' ? null : row.provider_id;
      let line = providers.find((p) => p.providerId === id && p.method === row.method);
      if (!line) {
        line = { providerId: id, name: null, method: row.method, signIns: 0, failures: 0 };
        providers.push(line);
      }
      line.signIns += row.sign_ins;
      line.failures += row.failures;
    }

    const failures = (
      (await events()
        .where({ ok: false })
        .groupBy('reason')
        .select('reason', this.db.raw('count(*)::int AS count'))
        .orderBy([
          { column: 'count', order: 'desc' },
          { column: 'reason', order: 'asc' },
        ])) as { reason: string | null; count: number }[]
    ).map((r) => ({ reason: r.reason ?? 'unknown', count: r.count }));

    const never = () =>
      this.db('users')
        .where({ tenant_id: tenantId })
        .whereNull('disabled_at')
        .whereNull('last_login_at');
    const [{ total: neverTotal } = { total: 0 }] = (await never().select(
      this.db.raw('count(*)::int AS total'),
    )) as { total: number }[];
    const neverItems = (await never()
      .orderBy('created_at')
      .limit(LIST_LIMIT)
      .select('id', 'username', 'role', 'created_at', 'break_glass')) as {
      id: string;
      username: string;
      role: string;
      created_at: Date;
      break_glass: boolean;
    }[];

    const glass = () => events().where({ ok: true, break_glass: true });
    const [{ total: glassTotal } = { total: 0 }] = (await glass().select(
      this.db.raw('count(*)::int AS total'),
    )) as { total: number }[];
    const glassItems = (await glass()
      .orderBy('at', 'desc')
      .limit(LIST_LIMIT)
      .select('at', 'username', 'ip')) as {
      at: Date;
      username: string | null;
      ip: string | null;
    }[];

    const findings = (
      (await this.db
        .select(
          'e.provider_id',
          'p.name',
          this.db.raw(`f->>'kind' AS kind`),
          this.db.raw('count(*)::int AS count'),
          this.db.raw('count(*) FILTER (WHERE e.ok)::int AS signed_in'),
          this.db.raw(
            `(array_agg((f->>'seconds')::int ORDER BY abs((f->>'seconds')::int) DESC NULLS LAST))[1] AS worst`,
          ),
          this.db.raw('max(e.at) AS last_at'),
        )
        .from(events().as('e').select('*'))
        .joinRaw('CROSS JOIN LATERAL jsonb_array_elements(e.findings) f')
        .leftJoin('identity_providers as p', 'p.id', 'e.provider_id')
        .whereNotNull('e.findings')
        .groupBy('e.provider_id', 'p.name', this.db.raw(`f->>'kind'`))
        .orderBy('last_at', 'desc')) as {
        provider_id: string | null;
        name: string | null;
        kind: 'sha1' | 'clock_skew';
        count: number;
        signed_in: number;
        worst: number | null;
        last_at: Date;
      }[]
    ).map((f) => ({
      providerId: f.provider_id,
      name: f.name,
      kind: f.kind,
      count: f.count,
      signedIn: f.signed_in,
      worstSeconds: f.kind === 'clock_skew' ? f.worst : null,
      lastAt: f.last_at,
    }));

    return {
      tenantId,
      from,
      to,
      findings,
      providers,
      failures,
      neverSignedIn: {
        total: neverTotal,
        items: neverItems.map((u) => ({
          id: u.id,
          username: u.username,
          role: u.role,
          createdAt: u.created_at,
          breakGlass: u.break_glass,
        })),
      },
      breakGlass: { total: glassTotal, items: glassItems },
    };
  }
}

/**
 * The report as CSV in the reader's language, sections one after the other (a title line, a
 * header, the rows, an empty line), with a byte order mark so Excel reads Persian.
 */
export function ssoReportCsv(report: SsoReport, language: Language): string {
  const w = signInReportWords(language);
  const c = w.csv;
  const out: string[] = [CSV_BOM];
  out.push(csvRecord([c.period, report.from.toISOString(), report.to.toISOString()]), '\r\n');
  out.push(csvRecord([c.providers]), csvRecord([c.provider, c.method, c.signIns, c.failures]));
  for (const p of report.providers)
    out.push(
      csvRecord([
        p.name ?? (p.method === 'password' ? '' : w.removedProvider),
        signInMethodWords(p.method, language),
        p.signIns,
        p.failures,
      ]),
    );
  out.push('\r\n', csvRecord([c.reasons]), csvRecord([c.reason, c.count]));
  for (const f of report.failures)
    out.push(csvRecord([signInReasonWords(f.reason, language), f.count]));
  out.push('\r\n', csvRecord([c.neverSignedIn]), csvRecord([c.username, c.created]));
  for (const u of report.neverSignedIn.items)
    out.push(csvRecord([u.username, u.createdAt.toISOString()]));
  out.push('\r\n', csvRecord([c.breakGlass]), csvRecord([c.at, c.username, c.address]));
  for (const b of report.breakGlass.items)
    out.push(csvRecord([b.at.toISOString(), b.username, b.ip]));
  return out.join('');
}
