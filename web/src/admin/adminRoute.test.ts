import { describe, expect, it } from 'vitest';
import { matchRoute } from '../app/router';

describe('admin routes', () => {
  it.each([
    ['/admin', { page: 'admin', section: 'branches' }],
    ['/admin/', { page: 'admin', section: 'branches' }],
    ['/admin/agents', { page: 'admin', section: 'agents' }],
    ['/admin/agents/a%201/checks', { page: 'admin', section: 'agents', agentId: 'a 1' }],
    ['/admin/users/x/checks', { page: 'notFound' }],
    ['/admin/agents/%E0%A4%A/checks', { page: 'notFound' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});
