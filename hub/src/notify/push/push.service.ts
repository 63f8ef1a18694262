import { apiError, notFound } from '../../http/errors.js';
import type { SessionUser } from '../../http/request-state.js';
import { subscriptionRefusal, type DestinationGuard } from '../webhook/destination-guard.js';
import type { PushRepository, PushSubscriptionRow } from './push.repository.js';
import type { VapidKeyStore } from './vapid.js';

/** What a person sees of one of their browsers' subscriptions (never its keys). */
const shown = (s: PushSubscriptionRow) => ({
  id: s.id,
  endpoint: s.endpoint,
  createdAt: s.createdAt,
});

/**
 * A person's browsers subscribed to push (docs/notifications.md "Push to the browser"): the
 * hub's public key to subscribe with, and their own subscriptions only.
 */
export class PushService {
  constructor(
    private readonly repo: PushRepository,
    private readonly vapid: VapidKeyStore,
    private readonly destinations: DestinationGuard,
  ) {}

  async state(user: SessionUser) {
    const [{ publicKey }, subscriptions] = await Promise.all([
      this.vapid.keys(),
      this.repo.list(user.id),
    ]);
    return { publicKey, subscriptions: subscriptions.map(shown) };
  }

  async subscribe(
    user: SessionUser,
    input: { endpoint: string; keys: { p256dh: string; auth: string } },
  ) {
    // The browser's push service must pass the webhooks' guard: a person could hand the hub
    // any URL as an endpoint, and the hub would POST to it.
    const refused = await subscriptionRefusal(this.destinations, input.endpoint);
    if (refused)
      throw apiError(400, 'BW_ERR_VALIDATION', `endpoint: ${refused}`, {
        field: 'endpoint',
        reason: 'private_destination',
      });
    const saved = await this.repo.save(user, { endpoint: input.endpoint, ...input.keys });
    return shown(saved);
  }

  async unsubscribe(user: SessionUser, id: string): Promise<void> {
    if (!(await this.repo.remove(user.id, id)))
      throw notFound('BW_ERR_NOT_FOUND', `push subscription ${id} does not exist`);
  }
}
