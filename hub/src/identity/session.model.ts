import { BaseModel } from '../db/base.model.js';

export class Session extends BaseModel {
  static override tableName = 'sessions';
  static override idColumn = 'token_hash';
  tokenHash!: string;
  userId!: string;
  createdAt!: Date;
  expiresAt!: Date;
}
