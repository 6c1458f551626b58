import { DynamoDigestStore } from '../adapters/dynamodb/digest-store.ts';
import { HeadDirectory } from '../adapters/dynamodb/tenant-directory.ts';
import { createKmsClient, KmsDigestSigner } from '../adapters/aws/kms-digest-signer.ts';
import type { DigestDeps } from '../audit/sign-digests.ts';
import type { TenantDirectory } from '../audit/ports.ts';
import type { TenantScope } from '../kernel/ports.ts';
import { asTenant, config, db, systemClock, tables } from './index.ts';

export { route } from './index.ts';

// The signed-digest functions only (sign-digests, audit-public-key): the one place that builds the
// KMS client. serverless.yml always sets DIGEST_KEY_ID; without it the first KMS call fails (NotFound).
export const kmsDigestKey = new KmsDigestSigner(createKmsClient(config), config.DIGEST_KEY_ID ?? 'alias/latchkey-digest-key-not-configured');

export const digestDeps: DigestDeps & { tenants: TenantDirectory; asTenant: TenantScope } = {
  clock: systemClock,
  digests: new DynamoDigestStore(db, tables),
  signer: kmsDigestKey,
  tenants: new HeadDirectory(db, tables),
  asTenant,
};

