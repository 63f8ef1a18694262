import { apiError } from '../http/errors.js';
import type { CredentialRepository, TotpSecrets } from './credential.repository.js';
import { SecretBox, SecretBoxError } from './secret-box.js';
import {
  acceptedStep,
  enrolmentOf,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
} from './totp.js';
import type { AuditService } from './audit/audit.service.js';

export interface Actor {
  id: string;
  username: string;
  tenantId: string | null;
}

/**
 * TOTP enrolment, confirmation, disabling and second-factor checks (RFC 6238). Secrets are
 * stored sealed with the hub's secret key (identity/secret-box.ts) and opened only here.
 */
export class TwoFactorService {
  constructor(
    private readonly credentials: CredentialRepository,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.credentials.stateOf(userId)).totpSecret !== null;
  }

  async status(userId: string) {
    const state = await this.credentials.stateOf(userId);
    return {
      enabled: state.totpSecret !== null,
      recoveryCodesLeft: state.totpSecret ? await this.credentials.unusedRecoveryCodes(userId) : 0,
    };
  }

  /** A new secret to scan; it takes effect only when confirmed with a code from it. */
  async begin(user: Actor) {
    if (await this.isEnabled(user.id)) {
      throw apiError(409, 'BW_ERR_CONFLICT', 'two-factor authentication is already on');
    }
    const secret = newTotpSecret();
    await this.credentials.setPendingTotp(user.id, this.secrets.seal(secret, pending(user.id)));
    return enrolmentOf(secret, user.username);
  }

  /** Turns 2FA on; returns the recovery codes, shown this once. */
  async confirm(user: Actor, code: string, ip: string | null): Promise<string[]> {
    const { totpPendingSecret } = await this.credentials.stateOf(user.id);
    if (!totpPendingSecret) {
      throw apiError(409, 'BW_ERR_CONFLICT', 'start the enrolment first');
    }
    const secret = this.open(totpPendingSecret, pending(user.id));
    const step = acceptedStep(secret, code);
    if (step === undefined) throw wrongCode();
    const { codes, hashes } = newRecoveryCodes();
    const sealed = this.secrets.seal(secret, confirmed(user.id));
    await this.credentials.enableTotp(user.id, sealed, step, hashes);
    await this.audit.record({ action: 'auth.2fa_enabled', actor: user, ...about(user, ip) });
    return codes;
  }

  /** Turning 2FA off needs a current code (or a recovery code): a stolen session is not enough. */
  async disable(user: Actor, proof: SecondFactor, ip: string | null): Promise<void> {
    if (!(await this.check(user, proof, ip))) throw wrongCode();
    await this.credentials.disableTotp(user.id);
    await this.audit.record({ action: 'auth.2fa_disabled', actor: user, ...about(user, ip) });
  }

  /** True when the code (or an unused recovery code) is good; each is accepted once. */
  async check(user: Actor, proof: SecondFactor, ip: string | null): Promise<boolean> {
    const { totpSecret } = await this.credentials.stateOf(user.id);
    if (!totpSecret) return false;
    if (proof.code !== undefined) {
      const step = acceptedStep(this.open(totpSecret, confirmed(user.id)), proof.code);
      return step !== undefined && (await this.credentials.acceptStep(user.id, step));
    }
    if (proof.recoveryCode === undefined) return false;
    const used = await this.credentials.useRecoveryCode(
      user.id,
      recoveryCodeHash(proof.recoveryCode),
      new Date(),
    );
    if (used) {
      const left = await this.credentials.unusedRecoveryCodes(user.id);
      await this.audit.record({
        action: 'auth.recovery_code_used',
        actor: user,
        ...about(user, ip),
        details: { left },
      });
    }
    return used;
  }

  /**
   * Seals every secret still stored in clear (written before secrets were sealed); run at
   * start. Idempotent: sealed values carry their format prefix and are left alone. Returns the
   * number of users whose secrets were sealed now.
   */
  async sealClearSecrets(): Promise<number> {
    let sealed = 0;
    for (const found of await this.credentials.clearTotpSecrets()) {
      const seal = (value: string | null, context: string) =>
        value === null || SecretBox.isSealed(value) ? value : this.secrets.seal(value, context);
      const to: TotpSecrets = {
        userId: found.userId,
        secret: seal(found.secret, confirmed(found.userId)),
        pendingSecret: seal(found.pendingSecret, pending(found.userId)),
      };
      if (await this.credentials.replaceTotpSecrets(found, to)) sealed++;
    }
    return sealed;
  }

  /** Users whose secret this hub's key cannot open: a lost or replaced key file. */
  usersSealedWithOtherKey(): Promise<number> {
    return this.credentials.sealedWithOtherKey(this.secrets.keyId);
  }

  /**
   * A stored secret in clear text; a lost or wrong key (or a changed value) is the hub's
   * problem, not a wrong code: a 503 that says so, and the request log names the cause.
   */
  private open(stored: string, context: string): string {
    try {
      return this.secrets.open(stored, context);
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      const unavailable = apiError(
        503,
        'BW_ERR_INTERNAL',
        `two-factor authentication is unavailable for this account: ${err.message}; ` +
          "an administrator must restore the hub's secret key file (docs/disaster-recovery.md)",
      );
      unavailable.expose = true;
      throw unavailable;
    }
  }
}

// Additional authenticated data: a sealed value opens only in its own row and column.
const confirmed = (userId: string) => `users.totp_secret:${userId}`;
const pending = (userId: string) => `users.totp_pending_secret:${userId}`;

export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

const wrongCode = () => apiError(401, 'BW_ERR_MFA_INVALID', 'wrong or already used code');

const about = (user: Actor, ip: string | null) => ({
  target: `user:${user.id}`,
  tenantId: user.tenantId,
  ip,
});
