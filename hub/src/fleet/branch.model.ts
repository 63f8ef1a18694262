import { BaseModel } from '../db/base.model.js';

export class Branch extends BaseModel {
  static override tableName = 'branches';
  id!: string;
  tenantId!: string;
  slug!: string;
  name!: string;
  /** Postal address, free text for people. */
  address!: string | null;
  /** WGS 84 degrees, both or neither. */
  latitude!: number | null;
  longitude!: number | null;
  /** IANA zone of the branch's clock (maintenance windows, the branch's local time). */
  timeZone!: string;
  criticality!: string;
  createdAt!: Date;
}
