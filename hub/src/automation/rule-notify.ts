import type { Database } from '../db/database.js';
import type { NotifyDispatcher } from '../notify/dispatcher.js';
import type { NotifyRepository } from '../notify/notify.repository.js';
import { DestinationRefused, type DestinationGuard } from '../notify/webhook/destination-guard.js';
import type { Action } from './automation.schemas.js';
import { ruleMessage, type RuleSubject } from './rule-messages.js';

type Notify = Extract<Action, { type: 'notify' }>;
type Webhook = Extract<Action, { type: 'webhook' }>;

/** Where an action of one run goes: the key makes its deliveries once only (the outbox's key). */
export interface RuleTarget {
  tenantId: string;
  ruleName: string;
  /** `automation:<run>:<action index>`: a run is claimed once, so each delivery is queued once. */
  key: string;
  about: RuleSubject;
  branchId: string | null;
  ticketId: string | null;
  facts: Record<string, unknown>;
}

/**
 * A rule's notify and webhook actions through the notification outbox (docs/notifications.md):
 * people on their own channels, in their language and past their quiet hours; webhooks signed,
 * retried and refused on private addresses as every subscription is.
 */
export class RuleMessenger {
  constructor(
    /** The hub's pool: rules run in the background, across tenants. */
    private readonly db: Database,
    private readonly dispatcher: NotifyDispatcher,
    private readonly repo: NotifyRepository,
    private readonly guard: DestinationGuard,
  ) {}

  async notify(a: Notify, target: RuleTarget): Promise<Record<string, unknown>> {
    const people = await this.recipients(a, target);
    if (!people.length) throw new Error(nobody(a));
    const prefs = await this.repo.preferences(people);
    const notice = this.notice(target, a.message);
    let queued = 0;
    for (const p of prefs) queued += await this.dispatcher.toUser(notice, p);
    const reachable = prefs.filter((p) => p.channels.length && (p.email || p.telegramChatId));
    if (!reachable.length)
      throw new Error(
        `none of the ${people.length} people to tell has a notification channel set (their notification settings)`,
      );
    if (queued) this.dispatcher.kick();
    return { people: people.length, told: reachable.length, queued };
  }

  async webhook(a: Webhook, target: RuleTarget): Promise<Record<string, unknown>> {
    const s = await this.repo.subscription(a.subscriptionId, target.tenantId);
    if (!s || s.channel !== 'webhook') throw new Error('the webhook subscription no longer exists');
    if (!s.enabled) throw new Error(`the webhook subscription to ${s.address} is turned off`);
    try {
      // Refused now rather than left for the outbox to find, so the run says why.
      await this.guard.addressOf(new URL(s.address).hostname);
    } catch (err) {
      if (err instanceof DestinationRefused) throw err;
      // A name that does not resolve now may later: the outbox retries.
    }
    const queued = await this.dispatcher.toSubscription(this.notice(target, ''), s);
    if (queued) this.dispatcher.kick();
    return { address: s.address, queued };
  }

  private notice(target: RuleTarget, message: string) {
    return {
      event: 'automation.rule' as const,
      tenantId: target.tenantId,
      key: target.key,
      ticketId: target.ticketId ?? undefined,
      values: { rule: target.ruleName, message: message || null, ...flat(target.facts) },
      words: (language: 'en' | 'fa' | 'fr') =>
        ruleMessage(language, target.ruleName, message, target.about),
    };
  }

  private async recipients(a: Notify, target: RuleTarget): Promise<string[]> {
    if (a.to === 'person') {
      const row = await this.db('users')
        .where({ id: a.userId, tenant_id: target.tenantId })
        .whereNull('disabled_at')
        .first('id');
      return row ? [row.id as string] : [];
    }
    if (a.to === 'group') {
      const rows = await this.db('group_members as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.group_id', a.groupId)
        .whereNull('u.disabled_at')
        .select('u.id');
      return rows.map((r: { id: string }) => r.id);
    }
    if (!target.branchId) return [];
    const rows = await this.db('users as u')
      .join('user_branches as ub', 'ub.user_id', 'u.id')
      .where({
        'u.role': 'requester',
        'u.tenant_id': target.tenantId,
        'ub.branch_id': target.branchId,
      })
      .whereNull('u.disabled_at')
      .select('u.id');
    return rows.map((r: { id: string }) => r.id);
  }
}

function nobody(a: Notify): string {
  if (a.to === 'person') return 'the person to tell no longer exists or is disabled';
  if (a.to === 'group') return 'the group to tell has no active members';
  return 'the branch has no requesters (or the ticket has no branch)';
}

/** Facts as template values (strings and numbers only). */
function flat(facts: Record<string, unknown>) {
  const out: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(facts))
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}
