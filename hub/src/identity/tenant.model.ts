import type { Language } from '@branchwatch/api';
import { BaseModel } from '../db/base.model.js';

export class Tenant extends BaseModel {
  static override tableName = 'tenants';
  id!: string;
  slug!: string;
  name!: string;
  /** The language the hub writes this tenant's ticket text in (alerts, notes). */
  language!: Language;
  createdAt!: Date;
}
