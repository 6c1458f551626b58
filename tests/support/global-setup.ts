import type { TestProject } from 'vitest/node';
import { startStackProcess } from '../../dev/stack-process.ts';
import './provided-context.ts';

// Starts the local stack exactly as a user would and tells the tests where it
// is. Teardown stops it, and with it DynamoDB Local's java.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Only the e2e tests log in to the real databases; the integration project's stack goes without
  // them and leaves the two cores to the tests.
  const withDatabases = project.name !== 'integration';
  const stack = await startStackProcess(withDatabases ? [] : ['--no-databases']);
  const { info } = stack;
  // Test workers talk to DynamoDB Local (and only to local endpoints): give their
  // SDK clients dummy keys, and never a developer's real ones.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: info.region });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  project.provide('apiUrl', info.apiUrl);
  project.provide('issuer', info.issuer);
  project.provide('consoleUrl', info.consoleUrl ?? '');
  project.provide('dynamodbEndpoint', info.dynamodbEndpoint);
  project.provide('stsUrl', info.stsUrl);
  project.provide('notifyUrl', info.notifyUrl ?? '');
  project.provide('latchkeyHome', info.home);
  project.provide('mainTable', info.mainTable);
  project.provide('logTable', info.logTable);
  project.provide('region', info.region);
  if (withDatabases) {
    // For tests/e2e/real-databases.test.ts: a stack asked for its databases that has none is broken.
    if (!info.postgres || !info.mariadb || !info.caBundle || !info.clientEnv) throw new Error('the local stack started without its databases');
    project.provide('postgres', info.postgres);
    project.provide('mariadb', info.mariadb);
    project.provide('caBundle', info.caBundle);
    project.provide('clientEnv', info.clientEnv);
  }
  return stack.stop;
}
