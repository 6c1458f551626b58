import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCAL_ACCOUNT_ID } from './local-api/lambda-runtime.ts';
import type { CredentialLookup, ExecuteApiCredential } from './local-api/sigv4-authorizer.ts';
import { repoRoot } from './paths.ts';

// The optional part of the stack: the STS/SSM stand-in, when its module is
// there. It is imported by path and used through the few members named below
// (startAwsStandin → { url, state.lookupCredential, state.addPrincipalCredentials, close }),
// so the stack still starts, without it, while it is missing or broken.

interface StandinModule {
  startAwsStandin?: (options: { port?: number }) => Promise<{
    url: string;
    state: {
      lookupCredential?: (accessKeyId: string) => ExecuteApiCredential | undefined;
      addPrincipalCredentials?: (input: { arn: string; accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => unknown;
    };
    close(): Promise<void>;
  }>;
}

export interface BrokerCredentials {
  roleArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface OptionalStandin {
  url: string;
  lookup: CredentialLookup;
  /** The handlers' own AWS identity, known to the stand-in like a Lambda execution role's session. */
  broker?: BrokerCredentials;
  close(): Promise<void>;
}

export async function startOptionalAwsStandin(names: { service: string; stage: string; region: string }): Promise<OptionalStandin | undefined> {
  const file = join(repoRoot, 'dev/aws-standin/server.ts');
  if (!existsSync(file)) return undefined;
  let mod: StandinModule;
  try {
    mod = (await import(pathToFileURL(file).href)) as StandinModule;
  } catch (error) {
    console.error(`aws-standin: not started, its module failed to load: ${(error as Error).message}`);
    return undefined;
  }
  if (typeof mod.startAwsStandin !== 'function') return undefined;
  const standin = await mod.startAwsStandin({});
  const { state } = standin;
  const lookup: CredentialLookup = (id) => state.lookupCredential?.(id);

  let broker: BrokerCredentials | undefined;
  if (typeof state.addPrincipalCredentials === 'function') {
    // The role osls creates for the functions is `<service>-<stage>-<region>-lambdaRole`;
    // in Lambda the handlers run as a session of it, so they do here too.
    const roleName = `${names.service}-${names.stage}-${names.region}-lambdaRole`;
    broker = {
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}`,
      accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
    };
    state.addPrincipalCredentials({
      arn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${roleName}/${names.service}-${names.stage}`,
      accessKeyId: broker.accessKeyId,
      secretAccessKey: broker.secretAccessKey,
      sessionToken: broker.sessionToken,
    });
  }
  return { url: standin.url, lookup, ...(broker ? { broker } : {}), close: () => standin.close() };
}
