import type { Database } from '../db/database.js';
import { User } from './user.model.js';
import type { Role } from '@branchwatch/api';

export class UserRepository {
  constructor(private readonly db: Database) {}

  async count(): Promise<number> {
    const result = await User.query(this.db).resultSize();
    return result;
  }

  findByUsername(username: string) {
    return User.query(this.db).findOne({ username });
  }

  findById(id: string) {
    return User.query(this.db).findById(id);
  }

  create(values: { username: string; passwordHash: string; role: Role; tenantId: string | null }) {
    return User.query(this.db).insertAndFetch(values);
  }
}
