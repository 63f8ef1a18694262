import { BaseModel } from '../db/base.model.js';

export const ROLES = ['admin', 'tenant_admin', 'noc_operator', 'support_agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export class User extends BaseModel {
  static override tableName = 'users';
  id!: string;
  tenantId!: string | null;
  username!: string;
  passwordHash!: string;
  role!: Role;
  createdAt!: Date;
}
