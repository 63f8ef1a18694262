import type { ApiClient } from './http.js';

/**
 * A wall screen's account: a viewer of `tenantId` whose custom role holds only
 * `inventory.read` (branches, agents, checks, their series and maps; no tickets).
 */
export async function wallScreenUser(
  api: ApiClient,
  tenantId: string,
  username: string,
  password: string,
): Promise<void> {
  const { role } = await api.post<{ role: { id: string } }>('/api/v1/roles', {
    name: 'Wall screen',
    permissions: ['inventory.read'],
    tenantId,
  });
  await api.post('/api/v1/users', {
    username,
    password,
    role: 'viewer',
    tenantId,
    customRoleId: role.id,
  });
}
