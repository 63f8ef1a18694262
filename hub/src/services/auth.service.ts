import { createHash } from 'node:crypto';
import { apiError } from '../errors.js';
import type { User } from '../models/user.model.js';
import type { SessionRepository } from '../repositories/session.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { randomSecret, verifyPassword } from '../security/password.js';

const SESSION_DAYS = 7;

export interface SessionUser {
  id: string;
  username: string;
  role: User['role'];
  tenantId: string | null;
}

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
  ) {}

  async login(username: string, password: string): Promise<{ user: SessionUser; token: string }> {
    const user = await this.users.findByUsername(username);
    // Verify against a hash even for unknown users, so timing does not reveal who exists.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      throw apiError(401, 'BW_ERR_BAD_CREDENTIALS', 'wrong username or password');
    }
    const token = randomSecret(32);
    const expires = new Date(Date.now() + SESSION_DAYS * 86400_000);
    await this.sessions.create(hashToken(token), user.id, expires);
    return { user: toSessionUser(user), token };
  }

  async authenticate(token: string): Promise<SessionUser | undefined> {
    const session = await this.sessions.findValid(hashToken(token), new Date());
    if (!session) return undefined;
    const user = await this.users.findById(session.userId);
    return user ? toSessionUser(user) : undefined;
  }

  logout(token: string): Promise<void> {
    return this.sessions.delete(hashToken(token));
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const toSessionUser = (u: User): SessionUser => ({
  id: u.id,
  username: u.username,
  role: u.role,
  tenantId: u.tenantId,
});

// scrypt of a random password nobody knows.
const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
