import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.js';
import { connectDatabase, type Database } from '../db/database.js';
import { RequestScope } from '../db/request-scope.js';

/**
 * Migration 015: the identity and notification tables under row-level security. Requests run
 * through the request-scoped connection (db/request-scope.ts: role bw_api, app.tenant_id) as a
 * user of tenant B, and must neither read nor change tenant A's rows; global users (no tenant)
 * see everything, and the hub's own background connection is not filtered.
 */

let db: Database;
let scope: RequestScope;
const hour = () => new Date(Date.now() + 3600_000);
const unique = () => randomBytes(8).toString('hex');

interface Owner {
  tenantId: string | null;
  userId: string;
  ticketId: string | null;
}

/** One table: its key column, a column any row may change, and a new row owned by `o`. */
interface TableCase {
  key: string;
  change: Record<string, unknown>;
  row(o: Owner): Record<string, unknown>;
}

const TABLES: Record<string, TableCase> = {
  sessions: {
    key: 'token_hash',
    change: { ip: '203.0.113.9' },
    row: (o) => ({ token_hash: unique(), user_id: o.userId, expires_at: hour() }),
  },
  api_tokens: {
    key: 'token_hash',
    change: { name: 'hijacked' },
    row: (o) => ({ user_id: o.userId, name: 't', token_hash: unique(), scopes: ['tickets.read'] }),
  },
  recovery_codes: {
    key: 'code_hash',
    change: { used_at: new Date() },
    row: (o) => ({ user_id: o.userId, code_hash: unique() }),
  },
  login_tickets: {
    key: 'ticket_hash',
    change: { attempts: 99 },
    row: (o) => ({ ticket_hash: unique(), user_id: o.userId, purpose: 'mfa', expires_at: hour() }),
  },
  telegram_link_codes: {
    key: 'code_hash',
    change: { expires_at: new Date(Date.now() + 86400_000) },
    row: (o) => ({ code_hash: unique(), user_id: o.userId, expires_at: hour() }),
  },
  notify_preferences: {
    key: 'user_id',
    change: { email: 'attacker@example.org' },
    row: (o) => ({ user_id: o.userId, email: `${unique()}@example.org` }),
  },
  notify_subscriptions: {
    key: 'address',
    change: { address: 'https://attacker.example.org/hook' },
    row: (o) => ({
      tenant_id: o.tenantId,
      channel: 'webhook',
      address: `https://${unique()}.example.org/`,
      events: ['ticket.opened'],
    }),
  },
  notify_outbox: {
    key: 'dedupe_key',
    change: { address: 'attacker@example.org' },
    row: (o) => ({
      tenant_id: o.tenantId,
      user_id: o.userId,
      channel: 'email',
      address: 'someone@example.org',
      event_type: 'ticket.opened',
      dedupe_key: unique(),
      message: JSON.stringify({ subject: 's', text: 't' }),
    }),
  },
  notify_ticket_cursor: {
    key: 'ticket_id',
    change: { last_event_id: 12345 },
    row: (o) => ({ ticket_id: o.ticketId, last_event_id: 1 }),
  },
  notify_mail_messages: {
    key: 'message_id',
    change: { outcome: 'ignored' },
    row: (o) => ({
      message_id: `<${unique()}@example.org>`,
      ticket_id: o.ticketId,
      outcome: 'ticket',
    }),
  },
};

/** Every table's key values, per owner, as seeded by the superuser. */
const seeded = new Map<string, Record<string, string[]>>();
let a: Owner;
let b: Owner;
let global: Owner;

async function owner(name: string, withTenant: boolean): Promise<Owner> {
  const tenantId = withTenant
    ? ((await db('tenants').insert({ slug: name, name }).returning('id'))[0].id as string)
    : null;
  const [user] = await db('users')
    .insert({
      username: `${name}-user`,
      role: 'tenant_admin',
      password_hash: 'x',
      tenant_id: tenantId,
    })
    .returning('id');
  const ticketId = tenantId
    ? ((
        await db('tickets')
          .insert({
            tenant_id: tenantId,
            subject: `${name} ticket`,
            state: 'open',
            source: 'manual',
          })
          .returning('id')
      )[0].id as string)
    : null;
  const o = { tenantId, userId: user.id as string, ticketId };
  const keys: Record<string, string[]> = {};
  for (const [table, c] of Object.entries(TABLES)) {
    // A global user has no ticket: the cursor needs one, mail without a ticket is theirs.
    if (table === 'notify_ticket_cursor' && !ticketId) continue;
    const [row] = await db(table).insert(c.row(o)).returning(c.key);
    keys[table] = [String(row[c.key])];
  }
  seeded.set(name, keys);
  return o;
}

/** Runs `work` as an API request of `tenantId` would: bw_api, app.tenant_id set. */
const asRequest = <T>(tenantId: string | null, work: (trx: Database) => Promise<T>) =>
  scope.run({ tenantId, branchIds: [] }, () => work(scope.db));

const keysOf = (name: string, table: string) => seeded.get(name)![table] ?? [];

beforeAll(async () => {
  db = connectDatabase(await createTestDatabase(), { min: 0, max: 4 });
  scope = new RequestScope(db);
  a = await owner('alpha', true);
  b = await owner('bravo', true);
  global = await owner('globe', false);
});

afterAll(async () => {
  await db?.destroy();
});

describe('row-level security on identity and notification tables (015)', () => {
  it('puts every one of them under a policy', async () => {
    const { rows } = await db.raw(
      `SELECT relname FROM pg_class WHERE relrowsecurity AND relname = ANY (?) ORDER BY relname`,
      [Object.keys(TABLES)],
    );
    expect(rows.map((r: { relname: string }) => r.relname)).toEqual(Object.keys(TABLES).sort());
  });

  it("shows a user of tenant B only B's rows", async () => {
    for (const [table, c] of Object.entries(TABLES)) {
      const seen = await asRequest(b.tenantId, (trx) => trx(table).pluck(c.key));
      expect(seen.sort(), table).toEqual(keysOf('bravo', table).sort());
    }
  });

  it("lets B neither change, delete nor create A's rows", async () => {
    for (const [table, c] of Object.entries(TABLES)) {
      const aKeys = keysOf('alpha', table);
      const changed = await asRequest(b.tenantId, (trx) =>
        trx(table).whereIn(c.key, aKeys).update(c.change),
      );
      const deleted = await asRequest(b.tenantId, (trx) =>
        trx(table).whereIn(c.key, aKeys).delete(),
      );
      expect([table, changed, deleted]).toEqual([table, 0, 0]);
      // Ticket cursors are keyed by ticket: A's ticket already has one, use a fresh ticket.
      const target =
        table === 'notify_ticket_cursor'
          ? { ...a, ticketId: (await freshTicket(a.tenantId!)) as string }
          : a;
      await expect(
        asRequest(b.tenantId, (trx) => trx(table).insert(c.row(target))),
        table,
      ).rejects.toThrow(/row-level security/);
      // Nor slip a row of its own over to A.
      const own = (await asRequest(b.tenantId, (trx) => trx(table).pluck(c.key)))[0];
      if (table !== 'notify_preferences' && table !== 'notify_ticket_cursor') {
        const moved = TABLES[table]!.row(a);
        const owned = pick(moved, ['user_id', 'tenant_id', 'ticket_id']);
        await expect(
          asRequest(b.tenantId, (trx) => trx(table).where(c.key, own).update(owned)),
          table,
        ).rejects.toThrow(/row-level security/);
      }
    }
    // A's rows are all still there, unchanged in the columns B tried.
    for (const [table, c] of Object.entries(TABLES)) {
      const rows = await db(table).whereIn(c.key, keysOf('alpha', table));
      expect(rows, table).toHaveLength(keysOf('alpha', table).length);
      for (const [column, value] of Object.entries(c.change))
        for (const row of rows) expect(row[column], `${table}.${column}`).not.toEqual(value);
    }
  });

  it('lets B write its own rows, and hides global rows from tenant users', async () => {
    for (const [table, c] of Object.entries(TABLES)) {
      if (table === 'notify_ticket_cursor' || table === 'notify_preferences') continue;
      const [row] = await asRequest(b.tenantId, (trx) =>
        trx(table).insert(c.row(b)).returning(c.key),
      );
      expect(row[c.key], table).toBeTruthy();
      for (const k of keysOf('globe', table))
        expect(await asRequest(b.tenantId, (trx) => trx(table).where(c.key, k)), table).toEqual([]);
    }
  });

  it('shows users without a tenant (global admins) every row, and background work too', async () => {
    for (const [table, c] of Object.entries(TABLES)) {
      const all = (await db(table).pluck(c.key)).sort();
      expect(all.length, table).toBeGreaterThanOrEqual(2);
      const seen = await asRequest(null, (trx) => trx(table).pluck(c.key));
      expect(seen.sort(), table).toEqual(all);
      for (const name of ['alpha', 'bravo', 'globe'])
        for (const k of keysOf(name, table)) expect(all, `${table} ${name}`).toContain(k);
    }
    expect(global.tenantId).toBeNull();
  });
});

async function freshTicket(tenantId: string): Promise<string> {
  const [row] = await db('tickets')
    .insert({ tenant_id: tenantId, subject: 'fresh', state: 'open', source: 'manual' })
    .returning('id');
  return row.id as string;
}

function pick(row: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => k in row).map((k) => [k, row[k]]));
}
