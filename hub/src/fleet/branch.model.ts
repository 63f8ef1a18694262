import { BaseModel } from '../db/base.model.js';

export class Branch extends BaseModel {
  static override tableName = 'branches';
  id!: string;
  tenantId!: string;
  slug!: string;
  name!: string;
  createdAt!: Date;
}
