import { BaseModel } from '../db/base.model.js';

import type { Role } from '@branchwatch/api';

export class User extends BaseModel {
  static override tableName = 'users';
  id!: string;
  tenantId!: string | null;
  username!: string;
  passwordHash!: string;
  role!: Role;
  createdAt!: Date;
  /** Set while an admin has disabled the account: no login, no session, no token. */
  disabledAt!: Date | null;
}
