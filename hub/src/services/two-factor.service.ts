import { apiError } from '../errors.js';
import type { CredentialRepository } from '../repositories/credential.repository.js';
import {
  acceptedStep,
  enrolmentOf,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
} from '../security/totp.js';
import type { AuditService } from './audit.service.js';

export interface Actor {
  id: string;
  username: string;
  tenantId: string | null;
}

/** TOTP enrolment, confirmation, disabling and second-factor checks (RFC 6238). */
export class TwoFactorService {
  constructor(
    private readonly credentials: CredentialRepository,
    private readonly audit: AuditService,
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
    await this.credentials.setPendingTotp(user.id, secret);
    return enrolmentOf(secret, user.username);
  }

  /** Turns 2FA on; returns the recovery codes, shown this once. */
  async confirm(user: Actor, code: string, ip: string | null): Promise<string[]> {
    const { totpPendingSecret } = await this.credentials.stateOf(user.id);
    if (!totpPendingSecret) {
      throw apiError(409, 'BW_ERR_CONFLICT', 'start the enrolment first');
    }
    const step = acceptedStep(totpPendingSecret, code);
    if (step === undefined) throw wrongCode();
    const { codes, hashes } = newRecoveryCodes();
    await this.credentials.enableTotp(user.id, totpPendingSecret, step, hashes);
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
      const step = acceptedStep(totpSecret, proof.code);
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
}

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
