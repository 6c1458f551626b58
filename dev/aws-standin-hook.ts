import { randomBytes } from 'node:crypto';
import { startAwsStandin } from './aws-standin/server.ts';
import { LOCAL_ACCOUNT_ID } from './local-api/lambda-runtime.ts';
import type { CredentialLookup } from './local-api/sigv4-authorizer.ts';

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
  close(): Promise<void>;
}

export async function startLocalAwsStandin(names: { service: string; stage: string; region: string }): Promise<LocalStandin> {
  const standin = await startAwsStandin({});
  const roleName = `${names.service}-${names.stage}-${names.region}-lambdaRole`;
  const broker: BrokerCredentials = {
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}`,
    accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  };
  standin.state.addPrincipalCredentials({
    arn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${roleName}/${names.service}-${names.stage}`,
    accessKeyId: broker.accessKeyId,
    secretAccessKey: broker.secretAccessKey,
    sessionToken: broker.sessionToken,
  });
  return { url: standin.url, lookup: (id) => standin.state.lookupCredential(id), broker, close: () => standin.close() };
}
