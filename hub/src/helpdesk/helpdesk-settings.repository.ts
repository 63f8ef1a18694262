import type { Language } from '@branchwatch/api';
import type { Database } from '../db/database.js';

/**
 * A tenant's helpdesk settings: the language the hub writes the tenant's ticket text in
 * (`tenants.language`, migration 018). Undefined: no such tenant (or not visible).
 */
export class HelpdeskSettingsRepository {
  constructor(private readonly db: Database) {}

  async language(tenantId: string): Promise<Language | undefined> {
    const row = await this.db('tenants').where({ id: tenantId }).first('language');
    return row?.language as Language | undefined;
  }

  async setLanguage(tenantId: string, language: Language): Promise<boolean> {
    return (await this.db('tenants').where({ id: tenantId }).update({ language })) > 0;
  }
}
