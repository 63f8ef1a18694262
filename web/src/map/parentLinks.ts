import type { ApiClient } from '../api/client';
import type { Check, ItemList } from '../api/types';

/**
 * A hand-made dependency between two checks (GET/POST/DELETE /api/v1/alerts/parents,
 * hub/src/alerts/alert-config.repository.ts): while the parent fails, the child's alerts attach
 * to the parent's incident instead of opening tickets (docs/architecture.md "Alerts become tickets"); admins add them
 * between devices.
 */
export interface ParentLink {
  id: string;
  tenantId: string;
  parentCheckId: string;
  childCheckId: string;
}

/** Roles the hub lets manage alert settings (hub/src/alerts/alerts.routes.ts ALERT_ADMINS). */
const LINK_ADMINS = new Set(['admin', 'tenant_admin']);

export function canManageLinks(role: string | undefined): boolean {
  return role !== undefined && LINK_ADMINS.has(role);
}

export function parentLinksApi(api: ApiClient) {
  return {
    list: async () => (await api.send<ItemList<ParentLink>>('GET', '/api/v1/alerts/parents')).items,
    create: async (parentCheckId: string, childCheckId: string) =>
      (
        await api.send<{ link: ParentLink }>('POST', '/api/v1/alerts/parents', {
          parentCheckId,
          childCheckId,
        })
      ).link,
    remove: (id: string) =>
      api.send<void>('DELETE', `/api/v1/alerts/parents/${encodeURIComponent(id)}`),
  };
}

/** Every check `checkId` depends on through links, nearest first (each once, cycles cut). */
export function ancestorsOf(checkId: string, links: readonly ParentLink[]): string[] {
  const parents = new Map<string, string[]>();
  for (const link of links) {
    parents.set(link.childCheckId, [...(parents.get(link.childCheckId) ?? []), link.parentCheckId]);
  }
  const seen = new Set<string>([checkId]);
  const out: string[] = [];
  let frontier = [checkId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const parent of parents.get(id) ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        out.push(parent);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * The checks that may become children of `parentId`: not the parent itself, not already its
 * child, and not one of its own ancestors (a loop would have each suppress the other).
 */
export function childCandidates(
  parentId: string,
  checks: readonly Check[],
  links: readonly ParentLink[],
): Check[] {
  const already = new Set(
    links.filter((l) => l.parentCheckId === parentId).map((l) => l.childCheckId),
  );
  const ancestors = new Set(ancestorsOf(parentId, links));
  return checks.filter((c) => c.id !== parentId && !already.has(c.id) && !ancestors.has(c.id));
}

export interface LinkRow {
  link: ParentLink;
  parent: Check | null;
  child: Check | null;
}

/**
 * The links that touch `checks` (one branch's), parents in key order then children, with the
 * checks resolved; a check outside the list (another branch's) is null and shown by id.
 */
export function linksOf(checks: readonly Check[], links: readonly ParentLink[]): LinkRow[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const key = (c: Check | null, id: string) => c?.key ?? id;
  return links
    .filter((l) => byId.has(l.parentCheckId) || byId.has(l.childCheckId))
    .map((link) => ({
      link,
      parent: byId.get(link.parentCheckId) ?? null,
      child: byId.get(link.childCheckId) ?? null,
    }))
    .sort(
      (a, b) =>
        collator.compare(
          key(a.parent, a.link.parentCheckId),
          key(b.parent, b.link.parentCheckId),
        ) || collator.compare(key(a.child, a.link.childCheckId), key(b.child, b.link.childCheckId)),
    );
}

/**
 * Which checks are suppressed, and behind which failing check: a check is suppressed when any
 * ancestor through links is failing (the hub attaches its alerts to that parent's incident).
 * Maps the suppressed check's id to the nearest failing ancestor's id.
 */
export function suppressedBy(
  checks: readonly Check[],
  links: readonly ParentLink[],
): Map<string, string> {
  const failing = new Set(checks.filter((c) => c.state === 'failing').map((c) => c.id));
  const out = new Map<string, string>();
  for (const check of checks) {
    const cause = ancestorsOf(check.id, links).find((id) => failing.has(id));
    if (cause !== undefined) out.set(check.id, cause);
  }
  return out;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
