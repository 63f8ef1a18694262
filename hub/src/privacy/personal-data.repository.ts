import type { Knex } from 'knex';
import type { Database } from '../db/database.js';

/** The person as the erasure and the export know them. */
export interface Person {
  id: string;
  tenantId: string | null;
  username: string;
  email: string | null;
  erasedAt: Date | null;
}

/** What erasing a person changes (or, dry, would change). */
export interface ErasureCounts {
  /** Tickets the person filed: who asked becomes the pseudonym. */
  ticketsFiled: number;
  /** Subjects and messages of the tenant's tickets that name the person. */
  ticketsNaming: number;
  messagesNaming: number;
  /** Kept, shown under the pseudonym, still counted in reports. */
  messagesWritten: number;
  ticketsAssigned: number;
  ratingComments: number;
  sessions: number;
  apiTokens: number;
  signInLinks: number;
  groupMemberships: number;
  watching: number;
  notificationSettings: number;
}

type Db = Database | Knex.Transaction;

/**
 * Everything the hub holds about one person, read for an export and pseudonymised for an
 * erasure (docs/privacy.md). Runs in the admin's request scope: row-level security keeps a
 * tenant's admin to their own tenant's people and tickets.
 */
export class PersonalDataRepository {
  constructor(private readonly db: Database) {}

  async find(id: string): Promise<Person | undefined> {
    const row = await this.db('users')
      .where({ id })
      .first('id', 'tenant_id', 'username', 'email', 'erased_at');
    if (!row) return undefined;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      username: row.username,
      email: row.email,
      erasedAt: row.erased_at,
    };
  }

  /** Every row about the person, as JSON-ready objects. */
  async export(person: Person): Promise<Record<string, unknown>> {
    const db = this.db;
    const id = person.id;
    const ticketNumber = db.raw(
      '(SELECT number FROM tickets WHERE id = ticket_id) AS "ticketNumber"',
    );
    return {
      account: await db('users as u')
        .leftJoin('tenants as t', 't.id', 'u.tenant_id')
        .leftJoin('roles as r', 'r.id', 'u.custom_role_id')
        .where('u.id', id)
        .first(
          'u.username',
          'u.email',
          'u.role',
          'r.name as customRole',
          't.name as tenant',
          'u.created_at as createdAt',
          'u.disabled_at as disabledAt',
          'u.external_id as directoryId',
          'u.scim_attributes as directoryAttributes',
          db.raw('u.totp_secret IS NOT NULL AS "twoFactor"'),
        ),
      branches: await db('user_branches as ub')
        .join('branches as b', 'b.id', 'ub.branch_id')
        .where('ub.user_id', id)
        .orderBy('b.name')
        .pluck('b.name'),
      sessions: await db('sessions')
        .where({ user_id: id })
        .orderBy('created_at')
        .select(
          'created_at as createdAt',
          'last_seen_at as lastSeenAt',
          'expires_at as expiresAt',
          'ip',
          'user_agent as userAgent',
        ),
      apiTokens: await db('api_tokens')
        .where({ user_id: id })
        .orderBy('created_at')
        .select(
          'name',
          'scopes',
          'created_at as createdAt',
          'last_used_at as lastUsedAt',
          'expires_at as expiresAt',
          'revoked_at as revokedAt',
        ),
      notificationSettings: await db('notify_preferences')
        .where({ user_id: id })
        .first(
          'language',
          'email',
          'telegram_chat_id as telegramChatId',
          'telegram_user_id as telegramUserId',
          'channels',
          'events',
          'quiet_start as quietStart',
          'quiet_end as quietEnd',
          'time_zone as timeZone',
        ),
      signInLinks: await db('user_identities as i')
        .join('identity_providers as p', 'p.id', 'i.provider_id')
        .where('i.user_id', id)
        .select('p.name as provider', 'i.subject', 'i.created_at as createdAt'),
      supportGroups: await db('group_members as m')
        .join('support_groups as g', 'g.id', 'm.group_id')
        .where('m.user_id', id)
        .pluck('g.name'),
      ticketsFiled: await db('tickets')
        .where({ created_by: id })
        .orderBy('number')
        .select(
          'number',
          'subject',
          'state',
          'requester_name as requesterName',
          'requester_contact as requesterContact',
          'opened_at as openedAt',
          'resolved_at as resolvedAt',
        ),
      ticketsAssigned: await db('tickets')
        .where({ assignee_id: id })
        .orderBy('number')
        .select('number', 'subject', 'state'),
      ticketsWatched: await db('ticket_watchers')
        .where({ user_id: id })
        .select(ticketNumber)
        .orderBy('ticket_id'),
      messages: await db('ticket_events')
        .where({ author_id: id })
        .orderBy('id')
        .select(
          ticketNumber,
          'at',
          'kind',
          'visibility',
          'body',
          'field',
          'old_value as from',
          'new_value as to',
        ),
      attachments: await db('ticket_attachments')
        .where({ author_id: id })
        .orderBy('created_at')
        .select(ticketNumber, 'name', 'mime_type as type', 'size', 'created_at as createdAt'),
      ratings: await db('ticket_ratings')
        .where({ rated_by: id })
        .orderBy('rated_at')
        .select(ticketNumber, 'score', 'comment', 'rated_at as ratedAt'),
      auditTrail: await db('audit_log')
        .where((q) => q.where({ actor_id: id }).orWhere({ target: `user:${id}` }))
        .whereNull('pruned_at')
        .orderBy('seq')
        .select('at', 'action', 'target', 'ip', 'details'),
    };
  }

  /** What erasing the person would change; inside `db`, so the erasure counts what it does. */
  async countErasure(person: Person, db: Db = this.db): Promise<ErasureCounts> {
    const id = person.id;
    const naming = namingPattern(person);
    const count = async (q: Knex.QueryBuilder) =>
      Number(((await q.count('* as n').first()) as { n?: string } | undefined)?.n ?? 0);
    return {
      ticketsFiled: await count(db('tickets').where({ created_by: id })),
      ticketsNaming: await count(this.ticketsNaming(db, person, naming)),
      messagesNaming: await count(this.messagesNaming(db, person, naming)),
      messagesWritten: await count(db('ticket_events').where({ author_id: id })),
      ticketsAssigned: await count(db('tickets').where({ assignee_id: id })),
      ratingComments: await count(
        db('ticket_ratings').where({ rated_by: id }).whereNotNull('comment'),
      ),
      sessions: await count(db('sessions').where({ user_id: id })),
      apiTokens: await count(db('api_tokens').where({ user_id: id }).whereNull('revoked_at')),
      signInLinks: await count(db('user_identities').where({ user_id: id })),
      groupMemberships: await count(db('group_members').where({ user_id: id })),
      watching: await count(db('ticket_watchers').where({ user_id: id })),
      notificationSettings: await count(db('notify_preferences').where({ user_id: id })),
    };
  }

  /**
   * Pseudonymises the person in one transaction: their account keeps its id (tickets, messages
   * and reports still count it) under `pseudonym`, with no password, two-factor secret, mail
   * address or directory attributes; who asked in the tickets they filed, and their name in the
   * tenant's subjects and messages, becomes the pseudonym; their rating comments go, the scores
   * stay; sessions, tokens, sign-in links, group places, watches and notification settings go.
   */
  async erase(person: Person, pseudonym: string, unusableHash: string, now: Date) {
    return this.db.transaction(async (trx) => {
      const counts = await this.countErasure(person, trx);
      const naming = namingPattern(person);
      const id = person.id;
      if (naming) {
        const replace = (column: string) =>
          trx.raw(`regexp_replace(${column}, ?, ?, 'gi')`, [naming, pseudonym]);
        await this.ticketsNaming(trx, person, naming).update({
          subject: replace('subject'),
          requester_name: replace('requester_name'),
          requester_contact: replace('requester_contact'),
        });
        await this.messagesNaming(trx, person, naming).update({
          body: replace('body'),
          old_value: replace('old_value'),
          new_value: replace('new_value'),
        });
      }
      await trx('tickets')
        .where({ created_by: id })
        .update({ requester_name: pseudonym, requester_contact: null });
      await trx('ticket_ratings').where({ rated_by: id }).update({ comment: null });
      // The SSO report's sign-ins keep counting, under the pseudonym and without the address.
      await trx('sign_in_events').where({ user_id: id }).update({ username: pseudonym, ip: null });
      await trx('users')
        .where({ id })
        .update({
          username: pseudonym,
          email: null,
          password_hash: unusableHash,
          totp_secret: null,
          totp_pending_secret: null,
          external_id: null,
          scim_attributes: null,
          disabled_at: trx.raw('coalesce(disabled_at, ?)', [now]),
          erased_at: now,
        });
      for (const table of [
        'sessions',
        'login_tickets',
        'recovery_codes',
        'telegram_link_codes',
        'user_identities',
        'password_history',
        'group_members',
        'ticket_watchers',
        'notify_preferences',
      ])
        await trx(table).where({ user_id: id }).delete();
      await trx('api_tokens')
        .where({ user_id: id })
        .whereNull('revoked_at')
        .update({ revoked_at: now });
      return counts;
    });
  }

  private ticketsNaming(db: Db, person: Person, naming: string | undefined) {
    const q = ticketsOf(db, person);
    if (!naming) return q.whereRaw('false');
    return q.where((w) =>
      w
        .whereRaw('subject ~* ?', [naming])
        .orWhereRaw('requester_name ~* ?', [naming])
        .orWhereRaw('requester_contact ~* ?', [naming]),
    );
  }

  private messagesNaming(db: Db, person: Person, naming: string | undefined) {
    const q = db('ticket_events').whereIn('ticket_id', ticketsOf(db, person).select('id'));
    if (!naming) return q.whereRaw('false');
    return q.where((w) =>
      w
        .whereRaw('body ~* ?', [naming])
        .orWhereRaw('old_value ~* ?', [naming])
        .orWhereRaw('new_value ~* ?', [naming]),
    );
  }
}

/** The person's tenant's tickets; every tenant's for a person of none (an admin of all). */
function ticketsOf(db: Db, person: Person) {
  const q = db('tickets');
  return person.tenantId === null ? q : q.where({ tenant_id: person.tenantId });
}

/**
 * A PostgreSQL regular expression matching the person's user name or mail address as a whole
 * word (`\m`, `\M`), case-insensitively; none for a name too short to be told from other words.
 */
export function namingPattern(person: Pick<Person, 'username' | 'email'>): string | undefined {
  const names = [person.username, person.email]
    .filter((n): n is string => typeof n === 'string' && n.length >= 3)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (names.length === 0) return undefined;
  return `\\m(${names.join('|')})\\M`;
}
