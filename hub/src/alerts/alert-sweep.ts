import type { AlertTicketRepository } from './alert-ticket.repository.js';
import type { AlertPolicy } from './alert-policy.js';
import type { AlertAgent, AlertCheck, IncidentRepository } from './incident.repository.js';
import { fingerprintOf } from './fingerprint.js';

/** How incidents are timed (BW_ALERT_* settings, docs/alerts.md). */
export interface IncidentSettings {
  /** The web UI's own address, for chart links in ticket text read from a mail. */
  webUrl?: string;
  /** A repeat this soon after a resolution reopens the same ticket. */
  reopenSeconds: number;
  /** A failing check with no result for this long has its alert expired. */
  expireSeconds: number;
  /** An agent offline this long gets its "agent offline" ticket. */
  agentOfflineGraceSeconds: number;
}

/** What the sweep asks of the incident service (alerts/incident.service.ts). */
export interface IncidentActions {
  inBranch<T>(branchId: string, work: () => Promise<T>): Promise<T>;
  raise(check: AlertCheck, since: Date, reason: string | null, now: Date): Promise<void>;
  recover(check: AlertCheck, since: Date | null, at: Date): Promise<void>;
  raiseAgent(agent: AlertAgent, since: Date): Promise<void>;
  expire(check: AlertCheck, now: Date): Promise<void>;
  calm(check: AlertCheck, now: Date): Promise<void>;
  stale(check: AlertCheck, since: Date, now: Date): Promise<void>;
  dataBack(check: AlertCheck, since: Date): Promise<void>;
}

export interface SweepDeps {
  service: IncidentActions;
  incidents: IncidentRepository;
  tickets: AlertTicketRepository;
  policy: Pick<AlertPolicy, 'policyFor'>;
  settings: IncidentSettings;
}

/**
 * What time alone decides (docs/alerts.md): an agent offline past its grace gets its ticket,
 * a flapping check calm for the quiet period is followed again, an alert without results for
 * the expiry time expires, and a failing check that no ticket covers (its maintenance window
 * ended, its parent recovered, the hub restarted) gets one. Each step is idempotent, so two
 * hub processes sweeping at once still make one ticket (the unique index decides).
 */
export async function sweepAlerts(deps: SweepDeps, now: Date): Promise<void> {
  const { service, incidents, policy, settings } = deps;

  // Stale first: a failing check that stopped reporting is not raised again below.
  for (const { check, since } of await incidents.markStale(now, STALE_GRACE_SECONDS)) {
    await service.inBranch(check.branchId, () => service.stale(check, since, now));
  }
  for (const { check, since } of await incidents.clearStale()) {
    await service.inBranch(check.branchId, () => service.dataBack(check, since));
  }

  for (const outage of await incidents.openOutages()) {
    if (now.getTime() - outage.offlineAt.getTime() < settings.agentOfflineGraceSeconds * 1000) {
      continue;
    }
    const agent = await incidents.findAgent(outage.agentId);
    if (agent)
      await service.inBranch(agent.branchId, () => service.raiseAgent(agent, outage.offlineAt));
  }

  for (const check of await incidents.listFlapping()) {
    const last = (await incidents.lastChangeAt(check.id)) ?? check.flappingSince!;
    const quiet = policy.policyFor(check).flap.quietSeconds * 1000;
    if (now.getTime() - last.getTime() < quiet) continue;
    await service.inBranch(check.branchId, async () => {
      const fresh = await incidents.findCheck(check.id);
      if (fresh?.flappingSince) await service.calm(fresh, now);
    });
  }

  for (const check of await incidents.listFailing()) {
    if (check.flappingSince) continue;
    await service.inBranch(check.branchId, async () => {
      // Read again inside the branch's queue: alerts handled meanwhile may have changed it.
      const fresh = await incidents.findCheck(check.id);
      if (!fresh || fresh.state !== 'failing' || fresh.flappingSince) return;
      await followFailing(deps, fresh, now);
    });
  }

  for (const { check, openedAt } of await incidents.recoveredWithActiveTicket()) {
    if (check.flappingSince) continue;
    await service.inBranch(check.branchId, async () => {
      const fresh = await incidents.findCheck(check.id);
      if (fresh?.state !== 'ok' || fresh.flappingSince) return;
      await service.recover(fresh, openedAt, fresh.stateSince ?? now);
    });
  }
}

/**
 * Slack after two missed intervals and the round's timeout before a check is stale: a round
 * waits up to the agent's batch interval (5 s by default) before it is sent, then the broker,
 * the ingest and the next sweep.
 */
export const STALE_GRACE_SECONDS = 15;

/**
 * A failing check: expired when silent too long; while stale (no data) left as it is; else
 * raised unless a ticket covers it.
 */
async function followFailing(deps: SweepDeps, check: AlertCheck, now: Date): Promise<void> {
  const { service, tickets, settings } = deps;
  const stale = now.getTime() - (check.lastResultAt ?? now).getTime();
  if (stale > settings.expireSeconds * 1000) return service.expire(check, now);
  if (check.staleSince) return;
  const fingerprint = fingerprintOf(check);
  if (await tickets.findActiveByFingerprint(fingerprint)) return;
  // A ticket of this outage that a person resolved stays resolved.
  if (check.stateSince && (await tickets.closedByPersonSince(fingerprint, check.stateSince))) {
    return;
  }
  await service.raise(check, check.stateSince ?? now, check.lastReason, now);
}
