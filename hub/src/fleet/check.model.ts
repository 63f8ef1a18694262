import { BaseModel } from '../db/base.model.js';

export type CheckState = 'unknown' | 'ok' | 'failing';

export class Check extends BaseModel {
  static override tableName = 'checks';
  id!: string;
  tenantId!: string;
  branchId!: string;
  agentId!: string;
  key!: string;
  type!: string;
  target!: string;
  state!: CheckState;
  stateSince!: Date | null;
  failStreak!: number;
  okStreak!: number;
  streakSince!: Date | null;
  lastResultAt!: Date | null;
  lastStatus!: 'ok' | 'failed' | null;
  lastReason!: string | null;
  /** The last round's measured fields as the contract defines them for the check's type. */
  managed!: boolean;
  intervalSeconds!: number | null;
  timeoutSeconds!: number | null;
  options!: Record<string, unknown> | null;
  removedAt!: Date | null;
  /** `wan`: the branch's WAN check, whose failure means the branch is cut off. */
  role!: 'wan' | null;
  /** The interval the agent says it runs the check at (its status); null before it says. */
  reportedIntervalSeconds!: number | null;
  /** A hub check that replaces the check of the same id in the agent's own file. */
  replacesFile!: boolean;
  /** Since when the check is configured: added, or back after a removal. */
  activeSince!: Date;
  /** Since when the check has missed two rounds in a row; null while it reports. */
  staleSince!: Date | null;
  lastFields!: Record<string, number | string | boolean | null> | null;
}
