import { randomBytes } from 'node:crypto';
import { startAwsStandin } from './aws-standin/server.ts';
import { loadState, saveState } from './aws-standin/state-file.ts';
import { StandinState, type AddRoleInput } from './aws-standin/state.ts';
import { LOCAL_ACCOUNT_ID } from './local-api/lambda-runtime.ts';
import type { CredentialLookup } from './local-api/sigv4-authorizer.ts';
import type { LocalIamDocuments } from './iam-documents.ts';

// The stack's STS/SSM stand-in, and the handlers' own AWS identity in it: in
// Lambda the functions run as a session of their execution role, so here they
// run as a session the stand-in knows, of the role osls would name
// `<service>-<stage>-<region>-lambdaRole` — the principal customer trust policies name.

export interface BrokerCredentials {
  roleArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface LocalStandin {
  url: string;
  lookup: CredentialLookup;
  broker: BrokerCredentials;
  /** The stand-in's memory, shared with the DynamoDB front (dev/aws-standin/dynamodb-front.ts). */
  state: StandinState;
  /**
   * Installs infra/iam.yml's documents (dev/iam-documents.ts): the tenant-data role, and the
   * functions' own grants on the broker's session, which until then may do anything.
   */
  installIam(documents: LocalIamDocuments): void;
  trustProbeRoleArn: string;
  close(): Promise<void>;
}

export interface LocalStandinOptions {
  service: string;
  stage: string;
  region: string;
  /** 0 or omitted: an ephemeral port. A fixed port keeps StreamUrls and stack.json valid across restarts. */
  port?: number;
  /** Where the state is saved after every change and read at start (`<home>/aws-standin`); omitted: memory only. */
  stateDir?: string;
}

/**
 * The trust probe role (infra/iam.yml TrustProbeRole): in the broker's account, assumable by the broker
 * alone, allowed to ask for any role. verify-integration asks for the customer's role as it too: a trust
 * policy that lets it in (Principal "*", or the broker's account root) trusts more than the broker.
 */
export function trustProbeRole(arn: string, brokerRoleArn: string): AddRoleInput {
  return {
    arn,
    trustPolicy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: brokerRoleArn }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] } },
    permissionPolicies: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: 'arn:aws:iam::*:role/*' } }],
  };
}

/** How long the broker's session is good for; renewed at every start, as Lambda renews its role session. */
const BROKER_SESSION_MS = 12 * 3600_000;

export async function startLocalAwsStandin(options: LocalStandinOptions): Promise<LocalStandin> {
  const { stateDir } = options;
  const state = (stateDir && loadState(stateDir)) || new StandinState();
  const roleName = `${options.service}-${options.stage}-${options.region}-lambdaRole`;
  const sessionArn = `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${roleName}/${options.service}-${options.stage}`;
  const broker = brokerSession(state, sessionArn);
  const brokerRoleArn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}`;
  const trustProbeRoleArn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${options.service}-${options.stage}-trust-probe`;
  if (!state.findRole(trustProbeRoleArn)) state.addRole(trustProbeRole(trustProbeRoleArn, brokerRoleArn));
  if (stateDir) saveState(stateDir, state);
  const standin = await startAwsStandin({ state, port: options.port ?? 0, ...(stateDir ? { persist: (s) => saveState(stateDir, s) } : {}) });
  return {
    url: standin.url,
    lookup: (id) => standin.state.lookupCredential(id),
    broker: { roleArn: brokerRoleArn, ...broker },
    trustProbeRoleArn,
    state,
    installIam: (documents) => {
      state.addRole(documents.tenantDataRole);
      const session = state.lookupCredential(broker.accessKeyId);
      if (session) session.permissionPolicies = documents.functionPolicies;
      if (stateDir) saveState(stateDir, state);
    },
    close: () => standin.close(),
  };
}

/**
 * The broker's own session: the saved one when there is one (same keys, same
 * aws:userid, so what was issued before a restart still traces to it), with its
 * expiry pushed out; otherwise a new one.
 */
function brokerSession(state: StandinState, arn: string): Omit<BrokerCredentials, 'roleArn'> {
  const saved = [...state.principals.values()].find((p) => p.kind === 'role-session' && !p.issuedByStandin && p.arn === arn);
  if (saved?.kind === 'role-session') {
    saved.expiration = new Date(state.now().getTime() + BROKER_SESSION_MS);
    return { accessKeyId: saved.accessKeyId, secretAccessKey: saved.secretAccessKey, sessionToken: saved.sessionToken };
  }
  const fresh = {
    accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  };
  state.addPrincipalCredentials({ arn, ...fresh, expiration: new Date(state.now().getTime() + BROKER_SESSION_MS) });
  return fresh;
}
