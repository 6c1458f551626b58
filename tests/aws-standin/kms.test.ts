import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKmsKey } from '#dev/aws-standin/kms-handler';
import { loadState, saveState } from '#dev/aws-standin/state-file';
import { BROKER_ACCOUNT, BROKER_CREDENTIALS, REGION, startWorld, type World } from './world.ts';

// KMS over JSON 1.1 through the unmodified @aws-sdk/client-kms: real P-256 keys, signatures that
// node:crypto verifies with the public key alone, SigV4 and IAM checked as for STS and SSM.

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.standin.close();
});

const SIGNER = { accessKeyId: 'ASIASIGNER0000000001', secretAccessKey: 'signer/secret', sessionToken: 'signer-token' };
function signerClient(credentials = SIGNER) {
  return new KMSClient({ endpoint: world.standin.url, region: REGION, credentials, maxAttempts: 1 });
}
function withSigner(actions: string[]) {
  const roleArn = `arn:aws:iam::${BROKER_ACCOUNT}:role/digest-signer`;
  world.state.addRole({ arn: roleArn, trustPolicy: { Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' } }, permissionPolicies: [{ Statement: { Effect: 'Allow', Action: actions, Resource: '*' } }] });
  world.state.addPrincipalCredentials({ arn: `arn:aws:sts::${BROKER_ACCOUNT}:assumed-role/digest-signer/fn`, ...SIGNER });
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

describe('KMS stand-in', () => {
  it('signs with a real P-256 key: the signature verifies offline with GetPublicKey, and through Verify', async () => {
    withSigner(['kms:Sign', 'kms:Verify', 'kms:GetPublicKey']);
    const key = createKmsKey(world.state, { account: BROKER_ACCOUNT, region: REGION, keySpec: 'ECC_NIST_P256', alias: 'alias/digests' });
    const kms = signerClient();
    const message = Buffer.from('{"v":2,"tenantId":"acme"}');
    const signed = await kms.send(new SignCommand({ KeyId: 'alias/digests', Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(signed.KeyId).toBe(key.arn);
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: key.arn }));
    expect(pub).toMatchObject({ KeyId: key.arn, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    const publicKey = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signed.Signature!))).toBe(true);
    expect(verify('sha256', Buffer.from('{"v":2,"tenantId":"acmf"}'), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signed.Signature!))).toBe(false);

    const ok = await kms.send(new VerifyCommand({ KeyId: key.keyId, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(ok.SignatureValid).toBe(true);
    const bad = await failure(kms.send(new VerifyCommand({ KeyId: key.keyId, Message: Buffer.from('other'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' })));
    expect(bad.name).toBe('KMSInvalidSignatureException');
  });

  it('refuses what AWS refuses: no permission, a bad signature on the call, an unknown key, a wrong algorithm', async () => {
    withSigner(['kms:GetPublicKey']);
    const key = createKmsKey(world.state, { account: BROKER_ACCOUNT, region: REGION, keySpec: 'ECC_NIST_P256' });
    const sign = (client: KMSClient, KeyId = key.arn, SigningAlgorithm = 'ECDSA_SHA_256') => client.send(new SignCommand({ KeyId, Message: Buffer.from('m'), SigningAlgorithm: SigningAlgorithm as 'ECDSA_SHA_256' }));
    const denied = await failure(sign(signerClient()));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('kms:Sign');
    expect((await failure(sign(signerClient({ ...SIGNER, secretAccessKey: 'wrong' })))).name).toBe('InvalidSignatureException');
    // The broker world's own session may only call STS.
    expect((await failure(sign(signerClient(BROKER_CREDENTIALS))))).toMatchObject({ name: 'AccessDeniedException' });
    withSigner(['kms:Sign']);
    expect((await failure(sign(signerClient(), 'alias/nope'))).name).toBe('NotFoundException');
    expect((await failure(sign(signerClient(), key.arn, 'RSASSA_PSS_SHA_256'))).name).toBe('InvalidKeyUsageException');
  });

  it('creates keys with CreateKey and keeps them, private halves included, across a restart', async () => {
    withSigner(['kms:Sign', 'kms:GetPublicKey']);
    const created = await signerClient().send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'digests' }));
    const arn = created.KeyMetadata!.Arn!;
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-kms-state-'));
    try {
      saveState(dir, world.state);
      const restored = loadState(dir)!;
      expect(restored.kmsKeys.get(created.KeyMetadata!.KeyId!)).toEqual(world.state.kmsKeys.get(created.KeyMetadata!.KeyId!));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const pub = await signerClient().send(new GetPublicKeyCommand({ KeyId: arn }));
    expect(pub.KeyId).toBe(arn);
  });
});
