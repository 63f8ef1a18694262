import type { Database } from '../db/database.js';
import { Check } from '../models/check.model.js';

export class CheckRepository {
  constructor(private readonly db: Database) {}

  list(tenantId: string | null) {
    return Check.query(this.db)
      .modify((q) => (tenantId ? q.where('tenant_id', tenantId) : q))
      .orderBy(['agent_id', 'key']);
  }

  findById(id: string) {
    return Check.query(this.db).findById(id);
  }

  /** Checks of `state`, for reconciling tickets after a restart. */
  listInState(state: Check['state']) {
    return Check.query(this.db).where({ state });
  }
}
