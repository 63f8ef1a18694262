import type { CheckRepository } from './check.repository.js';

export class CheckService {
  constructor(private readonly checks: CheckRepository) {}

  list(tenantId: string | null) {
    return this.checks.list(tenantId);
  }
}
