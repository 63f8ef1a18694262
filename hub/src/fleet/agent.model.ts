import { BaseModel } from '../db/base.model.js';

export class Agent extends BaseModel {
  static override tableName = 'agents';
  id!: string;
  tenantId!: string;
  branchId!: string;
  slug!: string;
  name!: string;
  username!: string;
  passwordHash!: string;
  /** The same password in Mosquitto's format, for an external broker (migration 008). */
  brokerPasswordHash!: string | null;
  online!: boolean;
  lastSeenAt!: Date | null;
  version!: string | null;
  configRevision!: number;
  configAppliedRevision!: number | null;
  configError!: string | null;
  createdAt!: Date;
}
