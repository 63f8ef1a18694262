import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/**
 * Release signatures: ed25519 (RFC 8032) over one line naming the version, the platform and
 * the SHA-256 of the binary. Signing the version too means an old signed binary cannot be
 * served under a newer version's name.
 */
export interface ReleaseId {
  version: string;
  platform: string;
  /** Hex SHA-256 of the binary. */
  sha256: string;
}

export function releaseMessage(release: ReleaseId): Buffer {
  return Buffer.from(
    `branchwatch-agent ${release.version} ${release.platform} sha256:${release.sha256}`,
  );
}

/** Base64 signature of the release, with a PEM (PKCS#8) ed25519 private key. */
export function signRelease(release: ReleaseId, privateKeyPem: string): string {
  return sign(null, releaseMessage(release), createPrivateKey(privateKeyPem)).toString('base64');
}

/** True when `signature` is the release key's signature of this release. */
export function verifyRelease(release: ReleaseId, signature: string, publicKey: string): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return verify(null, releaseMessage(release), key, Buffer.from(signature, 'base64'));
  } catch {
    // A malformed key or signature verifies nothing.
    return false;
  }
}

/** The public half as the agent's config and build pin it: base64 SPKI DER. */
export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem))
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
