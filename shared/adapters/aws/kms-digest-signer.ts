import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { DigestSigner } from '../../grant-log/index.ts';
import type { DigestPublicKey, PublicKeySource } from '../../audit/ports.ts';

/**
 * The digest key in KMS (serverless.yml DigestKey: ECC_NIST_P256, SIGN_VERIFY). Sign hands KMS the
 * digest's canonical JSON as MessageType RAW (under KMS's 4,096-byte limit: 32 heads are ~3 KB); KMS
 * hashes it with SHA-256 and signs, and the private key never leaves it. The key policy lets only the
 * signing role call Sign and only the public-key role call GetPublicKey.
 */
export class KmsDigestSigner implements DigestSigner, PublicKeySource {
  readonly algorithm = 'ECDSA_SHA_256' as const;
  private cachedPublicKey: Promise<DigestPublicKey> | undefined;

  constructor(
    private readonly kms: KMSClient,
    readonly keyId: string,
  ) {}

  async sign(message: Buffer): Promise<Buffer> {
    const out = await this.kms.send(new SignCommand({ KeyId: this.keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: this.algorithm }));
    if (!out.Signature) throw new Error('KMS Sign returned no signature');
    return Buffer.from(out.Signature);
  }

  /** Fetched once per container: a key's public half never changes. */
  publicKey(): Promise<DigestPublicKey> {
    this.cachedPublicKey ??= this.fetchPublicKey().catch((error: unknown) => {
      this.cachedPublicKey = undefined;
      throw error;
    });
    return this.cachedPublicKey;
  }

  private async fetchPublicKey(): Promise<DigestPublicKey> {
    const out = await this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (!out.PublicKey || !out.KeyId) throw new Error('KMS GetPublicKey returned no key');
    const base64 = Buffer.from(out.PublicKey).toString('base64');
    const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    return { keyId: out.KeyId, keySpec: String(out.KeySpec ?? ''), signingAlgorithms: (out.SigningAlgorithms ?? []).map(String), publicKeyPem };
  }
}

export function createKmsClient(config: { AWS_REGION: string; KMS_ENDPOINT?: string | undefined }): KMSClient {
  return new KMSClient({ region: config.AWS_REGION, ...(config.KMS_ENDPOINT ? { endpoint: config.KMS_ENDPOINT } : {}), maxAttempts: 3 });
}
