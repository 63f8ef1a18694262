import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS } from './permissions.js';
import { registeredRoutes } from '../app/registered-routes.js';
import { ROUTE_PERMISSIONS } from './route-permissions.js';

describe('route permissions', () => {
  const routes = registeredRoutes();

  it('reads the routes from the built app', () => {
    expect(routes).toContain('GET /api/v1/tickets/:id');
    expect(routes).toContain('POST /api/v1/users');
    expect(routes.length).toBeGreaterThan(80);
  });

  it('declares a permission for every registered route', () => {
    expect(routes.filter((key) => !(key in ROUTE_PERMISSIONS))).toEqual([]);
  });

  it('has no entry for a route that does not exist', () => {
    expect(Object.keys(ROUTE_PERMISSIONS).filter((key) => !routes.includes(key))).toEqual([]);
  });

  it('names only known permissions', () => {
    const known = new Set<string>([...PERMISSIONS, 'public', 'session']);
    expect(Object.values(ROUTE_PERMISSIONS).filter((p) => !known.has(p))).toEqual([]);
  });

  it('gives viewers reads only', () => {
    expect([...ROLE_PERMISSIONS.viewer].sort()).toEqual([
      'inventory.read',
      'knowledge.internal',
      'knowledge.read',
      'tickets.read',
    ]);
    const viewerWrites = Object.entries(ROUTE_PERMISSIONS).filter(
      ([key, p]) => !key.startsWith('GET ') && ROLE_PERMISSIONS.viewer.includes(p as never),
    );
    expect(viewerWrites).toEqual([]);
  });
});
