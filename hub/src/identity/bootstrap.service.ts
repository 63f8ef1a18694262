import type { TenantRepository } from './tenant.repository.js';
import type { UserRepository } from './user.repository.js';
import { hashPassword } from './password.js';
import { randomSecret } from '../core/random-secret.js';

export const DEFAULT_TENANT = 'default';
export const FIRST_ADMIN = 'admin';

/** What a new hub needs before anyone can log in: a tenant and the first admin. */
export class BootstrapService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly users: UserRepository,
  ) {}

  /**
   * Returns the generated admin password when one was made (to be shown once), undefined when
   * an admin existed already or the password came from the configuration.
   */
  async ensureDefaults(adminPassword: string | undefined): Promise<string | undefined> {
    await this.tenants.ensure(DEFAULT_TENANT, 'Default');
    if ((await this.users.count()) > 0) return undefined;
    const password = adminPassword ?? randomSecret(12);
    await this.users.create({
      username: FIRST_ADMIN,
      passwordHash: await hashPassword(password),
      role: 'admin',
      tenantId: null,
    });
    return adminPassword ? undefined : password;
  }
}
