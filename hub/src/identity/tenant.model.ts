import { BaseModel } from '../db/base.model.js';

export class Tenant extends BaseModel {
  static override tableName = 'tenants';
  id!: string;
  slug!: string;
  name!: string;
  createdAt!: Date;
}
