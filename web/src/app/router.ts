import { useSyncExternalStore, type MouseEvent } from 'react';

// A router in one file, over the History API: the app has three pages and a few query
// parameters, which does not justify a routing library. The hub serves index.html for any
// unknown GET path, so a reload or a pasted link (an alert ticket's /branches/<id>?check=…)
// lands here and `matchRoute` picks the page.

export type Route =
  | { page: 'overview' }
  | { page: 'map' }
  | { page: 'branch'; branchId: string }
  | { page: 'admin'; section: string; agentId?: string }
  | { page: 'tickets' } // ticket desk
  | { page: 'ticket'; ticketId: string } // ticket desk
  | { page: 'reports'; scheduled?: true }
  // --- knowledge base ---
  | { page: 'knowledge' }
  | { page: 'article'; articleId: string }
  | { page: 'articleEdit'; articleId: string | null } // null: a new article
  | { page: 'knowledgeReport' }
  // --- end knowledge base ---
  | PortalRoute
  | { page: 'notFound' };

/** The requester portal's pages (docs/requesters.md), under /portal. */
export type PortalRoute =
  | { page: 'portal'; tab: 'home' | 'tickets' | 'new' | 'monitoring' | 'notifications' | 'profile' }
  | { page: 'portalTicket'; ticketId: string };

export const isPortalRoute = (route: Route): route is PortalRoute =>
  route.page === 'portal' || route.page === 'portalTicket';

const PORTAL_TABS: Record<string, Extract<PortalRoute, { page: 'portal' }>['tab']> = {
  '/portal': 'home',
  '/portal/tickets': 'tickets',
  '/portal/tickets/new': 'new',
  '/portal/monitoring': 'monitoring',
  '/portal/notifications': 'notifications',
  '/portal/profile': 'profile',
};

/** The page for a path. Pure, so it is tested without a browser. */
export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  // Where a provider's logout sends the browser back: once signed in, the overview.
  if (path === '/' || path === '/login') return { page: 'overview' };
  if (path === '/map') return { page: 'map' };
  // --- admin: /admin, /admin/<section>, /admin/agents/<id>/checks ---
  const admin = /^\/admin(?:\/([a-z]+))?(?:\/([^/]+)\/checks)?$/.exec(path);
  if (admin && (admin[2] === undefined || admin[1] === 'agents')) {
    try {
      const agentId = admin[2] === undefined ? undefined : decodeURIComponent(admin[2]);
      return { page: 'admin', section: admin[1] ?? 'branches', ...(agentId ? { agentId } : {}) };
    } catch {
      return { page: 'notFound' };
    }
  }
  // --- end admin ---
  // --- requester portal: /portal, /portal/<tab>, /portal/tickets/<id> ---
  const tab = PORTAL_TABS[path];
  if (tab) return { page: 'portal', tab };
  const portalTicket = /^\/portal\/tickets\/([^/]+)$/.exec(path);
  if (portalTicket) {
    try {
      return { page: 'portalTicket', ticketId: decodeURIComponent(portalTicket[1]!) };
    } catch {
      return { page: 'notFound' };
    }
  }
  // --- end requester portal ---
  // --- ticket desk: /tickets, /tickets/<id> ---
  if (path === '/tickets') return { page: 'tickets' };
  if (path === '/reports') return { page: 'reports' };
  if (path === '/reports/scheduled') return { page: 'reports', scheduled: true };
  const ticket = /^\/tickets\/([^/]+)$/.exec(path);
  if (ticket) {
    try {
      return { page: 'ticket', ticketId: decodeURIComponent(ticket[1]!) };
    } catch {
      return { page: 'notFound' };
    }
  }
  // --- end ticket desk ---
  // --- knowledge base: /knowledge, /knowledge/new, /knowledge/report, /knowledge/<id>[/edit] ---
  if (path === '/knowledge') return { page: 'knowledge' };
  if (path === '/knowledge/new') return { page: 'articleEdit', articleId: null };
  if (path === '/knowledge/report') return { page: 'knowledgeReport' };
  const article = /^\/knowledge\/([^/]+)(\/edit)?$/.exec(path);
  if (article) {
    try {
      const articleId = decodeURIComponent(article[1]!);
      return article[2] ? { page: 'articleEdit', articleId } : { page: 'article', articleId };
    } catch {
      return { page: 'notFound' };
    }
  }
  // --- end knowledge base ---
  const branch = /^\/branches\/([^/]+)$/.exec(path);
  if (branch) {
    try {
      return { page: 'branch', branchId: decodeURIComponent(branch[1]!) };
    } catch {
      return { page: 'notFound' };
    }
  }
  return { page: 'notFound' };
}

/** `path?query` with empty values left out, e.g. `href('/map', { branch: id })`. */
export function href(path: string, query: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

/** Goes to `to` without a reload; `replace` for changes that should not add a Back step. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

export interface CurrentLocation {
  pathname: string;
  query: URLSearchParams;
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query; re-renders on navigate() and Back/Forward. */
export function useLocation(): CurrentLocation {
  const current = useSyncExternalStore(subscribe, snapshot, snapshot);
  const url = new URL(current, 'http://local');
  return { pathname: url.pathname, query: url.searchParams };
}

/**
 * Props for an anchor that navigates in-app on a plain click and leaves Ctrl/⌘/middle-click
 * (new tab) to the browser: `<Anchor {...linkTo('/map')}>`.
 */
export function linkTo(to: string) {
  return {
    href: to,
    onClick: (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(to);
    },
  };
}
