import { describe, expect, it } from 'vitest';
import { href, matchRoute } from './router';

describe('matchRoute', () => {
  it.each([
    ['/', { page: 'overview' }],
    ['', { page: 'overview' }],
    ['/map', { page: 'map' }],
    ['/map/', { page: 'map' }],
    ['/branches/0b6f6a52-1', { page: 'branch', branchId: '0b6f6a52-1' }],
    ['/branches/a%20b', { page: 'branch', branchId: 'a b' }],
    ['/branches/%E0%A4%A', { page: 'notFound' }],
    ['/branches', { page: 'notFound' }],
    ['/branches/x/y', { page: 'notFound' }],
    ['/tickets', { page: 'tickets' }],
    ['/tickets/x/y', { page: 'notFound' }],
    ['/nowhere', { page: 'notFound' }],
    ['/knowledge', { page: 'knowledge' }],
    ['/knowledge/new', { page: 'articleEdit', articleId: null }],
    ['/knowledge/report', { page: 'knowledgeReport' }],
    ['/knowledge/a1', { page: 'article', articleId: 'a1' }],
    ['/knowledge/a1/edit', { page: 'articleEdit', articleId: 'a1' }],
    ['/knowledge/a1/x', { page: 'notFound' }],
    ['/portal', { page: 'portal', tab: 'home' }],
    ['/portal/', { page: 'portal', tab: 'home' }],
    ['/portal/tickets', { page: 'portal', tab: 'tickets' }],
    ['/portal/tickets/new', { page: 'portal', tab: 'new' }],
    ['/portal/tickets/7c1d', { page: 'portalTicket', ticketId: '7c1d' }],
    ['/portal/monitoring', { page: 'portal', tab: 'monitoring' }],
    ['/portal/notifications', { page: 'portal', tab: 'notifications' }],
    ['/portal/profile', { page: 'portal', tab: 'profile' }],
    ['/portal/elsewhere', { page: 'notFound' }],
    ['/portal/tickets/%E0%A4%A', { page: 'notFound' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});

describe('href', () => {
  it('leaves out empty values and escapes the rest', () => {
    expect(href('/map')).toBe('/map');
    expect(href('/branches/b1', { check: 'c 1', from: null, to: '' })).toBe(
      '/branches/b1?check=c+1',
    );
  });
});
