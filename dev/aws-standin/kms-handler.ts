import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { authorize } from './authorize.ts';
import { AwsError, notAuthorizedMessage } from './aws-error.ts';
import type { Principal } from './model.ts';
import type { StandinState } from './state.ts';

// KMS over JSON 1.1 (`X-Amz-Target: TrentService.<Op>`), for asymmetric signing keys: CreateKey,
// Sign, Verify and GetPublicKey, with real keys (node:crypto) kept in the stand-in's state, so a
// signature made here verifies with openssl or node:crypto and the public key alone, as one made by
// KMS does. Blobs travel as base64 strings, as the SDK sends and expects them.

/** A signing key as the stand-in keeps it; the private half never leaves the stand-in. */
export type KmsKey = {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  keySpec: KeySpec;
  description: string;
  aliases: string[];
  createdAt: Date;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
};

const keySpecs = ['ECC_NIST_P256', 'RSA_2048'] as const;
type KeySpec = (typeof keySpecs)[number];
/** What AWS allows per key spec (the subset modelled). */
const algorithmsOf: Record<KeySpec, string[]> = {
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  RSA_2048: ['RSASSA_PKCS1_V1_5_SHA_256'],
};

export interface KmsCall {
  operation: string;
  body: string;
  caller: Principal;
  region: string;
  state: StandinState;
  now: Date;
}

const keyIdField = z.string().min(1).max(2048);
const blob = z.string().min(1).max(8192);
const createKeySchema = z.object({
  KeySpec: z.enum(keySpecs),
  KeyUsage: z.literal('SIGN_VERIFY'),
  Description: z.string().max(8192).optional(),
  Policy: z.string().optional(),
  Tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })).optional(),
});
const signSchema = z.object({ KeyId: keyIdField, Message: blob, MessageType: z.literal('RAW').optional(), SigningAlgorithm: z.string(), GrantTokens: z.array(z.string()).optional() });
const verifySchema = signSchema.extend({ Signature: blob });
const getPublicKeySchema = z.object({ KeyId: keyIdField, GrantTokens: z.array(z.string()).optional() });

function parseBody<T>(schema: z.ZodType<T>, body: string): T {
  let json: unknown;
  try {
    json = body === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `Value at '${i.path.join('.')}' failed to satisfy constraint: ${i.message}`);
  throw new AwsError('ValidationException', `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

/** Makes a key in the state (CreateKey, and the local stack's own digest key at start). */
export function createKmsKey(state: StandinState, input: { account: string; region: string; keySpec: KeySpec; description?: string; alias?: string }, now: Date = state.now()): KmsKey {
  const pair = input.keySpec === 'ECC_NIST_P256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomUUID();
  const key: KmsKey = {
    keyId,
    arn: `arn:aws:kms:${input.region}:${input.account}:key/${keyId}`,
    account: input.account,
    region: input.region,
    keySpec: input.keySpec,
    description: input.description ?? '',
    aliases: input.alias ? [input.alias] : [],
    createdAt: now,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  state.kmsKeys.set(keyId, key);
  return key;
}

/** A key by id, key ARN, alias name or alias ARN, in the caller's account and Region (as KMS resolves them). */
function findKey(state: StandinState, keyId: string, account: string, region: string): KmsKey {
  const aliasArn = /^arn:aws:kms:([^:]+):(\d{12}):(alias\/.+)$/.exec(keyId);
  const keyArn = /^arn:aws:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(keyId);
  const found = [...state.kmsKeys.values()].find((key) => {
    if (aliasArn) return key.region === aliasArn[1] && key.account === aliasArn[2] && key.aliases.includes(aliasArn[3]!);
    if (keyArn) return key.arn === keyId;
    if (keyId.startsWith('alias/')) return key.account === account && key.region === region && key.aliases.includes(keyId);
    return key.keyId === keyId && key.account === account && key.region === region;
  });
  if (!found) throw new AwsError('NotFoundException', `Key '${keyId}' does not exist`);
  return found;
}

function allowed(call: KmsCall, action: string, key: KmsKey): void {
  const result = authorize(call.state, call.caller, action, [{ arn: key.arn }], call.now);
  if (!result.allowed) throw new AwsError('AccessDeniedException', notAuthorizedMessage(call.caller.arn, action, result.resource, result.because));
}

function signingAlgorithm(key: KmsKey, algorithm: string): string {
  if (!algorithmsOf[key.keySpec].includes(algorithm)) {
    throw new AwsError('InvalidKeyUsageException', `The signing algorithm ${algorithm} is not supported for key ${key.arn} (${key.keySpec}).`);
  }
  return algorithm;
}

function message(base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  // KMS's limit for MessageType RAW.
  if (bytes.length === 0 || bytes.length > 4096) throw new AwsError('ValidationException', "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096");
  return bytes;
}

const signOptions = (key: KmsKey) => (key.keySpec === 'ECC_NIST_P256' ? { key: createPrivateKey(key.privateKeyPem), dsaEncoding: 'der' as const } : createPrivateKey(key.privateKeyPem));
const publicKeyOf = (key: KmsKey) => createPublicKey(key.privateKeyPem);

export function handleKms(call: KmsCall): Record<string, unknown> {
  const { state, caller, region } = call;
  switch (call.operation) {
    case 'CreateKey': {
      const input = parseBody(createKeySchema, call.body);
      const key = createKmsKey(state, { account: caller.account, region, keySpec: input.KeySpec, ...(input.Description ? { description: input.Description } : {}) }, call.now);
      return { KeyMetadata: metadataOf(key) };
    }
    case 'Sign': {
      const input = parseBody(signSchema, call.body);
      const key = findKey(state, input.KeyId, caller.account, region);
      allowed(call, 'kms:Sign', key);
      const algorithm = signingAlgorithm(key, input.SigningAlgorithm);
      const signature = sign('sha256', message(input.Message), signOptions(key));
      return { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
    }
    case 'Verify': {
      const input = parseBody(verifySchema, call.body);
      const key = findKey(state, input.KeyId, caller.account, region);
      allowed(call, 'kms:Verify', key);
      const algorithm = signingAlgorithm(key, input.SigningAlgorithm);
      const publicKey = publicKeyOf(key);
      const valid = verify('sha256', message(input.Message), key.keySpec === 'ECC_NIST_P256' ? { key: publicKey, dsaEncoding: 'der' } : publicKey, Buffer.from(input.Signature, 'base64'));
      // KMS answers an invalid signature with an error, not with SignatureValid: false.
      if (!valid) throw new AwsError('KMSInvalidSignatureException', 'The signature is not valid for this message and key.');
      return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
    }
    case 'GetPublicKey': {
      const input = parseBody(getPublicKeySchema, call.body);
      const key = findKey(state, input.KeyId, caller.account, region);
      allowed(call, 'kms:GetPublicKey', key);
      const spki = publicKeyOf(key).export({ type: 'spki', format: 'der' });
      return {
        KeyId: key.arn,
        PublicKey: spki.toString('base64'),
        KeySpec: key.keySpec,
        CustomerMasterKeySpec: key.keySpec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: algorithmsOf[key.keySpec],
      };
    }
    default:
      throw new AwsError('UnknownOperationException', `The stand-in's KMS has no operation ${call.operation} (CreateKey, Sign, Verify, GetPublicKey).`);
  }
}

function metadataOf(key: KmsKey): Record<string, unknown> {
  return {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.createdAt.getTime() / 1000,
    Enabled: true,
    Description: key.description,
    KeyUsage: 'SIGN_VERIFY',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: key.keySpec,
    CustomerMasterKeySpec: key.keySpec,
    SigningAlgorithms: algorithmsOf[key.keySpec],
  };
}
