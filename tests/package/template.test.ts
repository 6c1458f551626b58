import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allStatements, grantsOfRole, list, zipEntries, type Resource, type Statement, type Template } from './template-helpers.ts';

// Packages the service exactly as a deploy would (`osls package`), offline, with
// no AWS credentials and the network refused, then checks the template and the
// zips: one self-contained ESM bundle per function, one least-privilege role per
// function, authorizers on every route, and tables that cannot lose their data.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const denyNetwork = fileURLToPath(new URL('./deny-network.cjs', import.meta.url));
const stage = 'test';
// Shaped like a real issuer: infra/deploy-guard.mjs refuses the placeholder and reserved names (see the last describe).
const issuer = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_PkgTest001';
const audience = 'latchkey-package-test';
// A namespaced claim (Auth0's form), to follow one claim-name param from the command line into a handler.
const tenantClaim = 'https://latchkey.example/tenant';
const osls = join(repo, 'node_modules/osls/bin/serverless.js');

/** The environment minus every AWS setting: nothing to find credentials or an endpoint with. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const nowhere = join(tmpdir(), 'latchkey-no-aws-config');
  return { ...env, AWS_SHARED_CREDENTIALS_FILE: nowhere, AWS_CONFIG_FILE: nowhere, AWS_EC2_METADATA_DISABLED: 'true', NODE_OPTIONS: `--require ${JSON.stringify(denyNetwork)}` };
}

type Fn = { handler: string; role?: string; events?: Array<Record<string, any>> };
let template: Template;
let functions: Record<string, Fn>;
let params: Record<string, unknown>;
const resources = () => Object.entries(template.Resources);
const lambdaOf = (name: string): [string, Resource] => {
  const found = resources().find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === `latchkey-${stage}-${name}`);
  if (!found) throw new Error(`no Lambda for ${name}`);
  return found;
};
const roleOf = (name: string): [string, Resource] => {
  const [, fn] = lambdaOf(name);
  const id = (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return [id, template.Resources[id]!];
};

beforeAll(async () => {
  rmSync(join(repo, '.serverless'), { recursive: true, force: true });
  const args = ['package', '--stage', stage, `--param=oidcIssuer=${issuer}`, `--param=oidcAudience=${audience}`, `--param=claimTenant=${tenantClaim}`];
  try {
    await run(process.execPath, [osls, ...args], { cwd: repo, env: offlineEnv(), timeout: 170_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`osls package failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: error });
  }
  template = JSON.parse(readFileSync(join(repo, '.serverless/cloudformation-template-update-stack.json'), 'utf8')) as Template;
  const doc = parse(readFileSync(join(repo, 'serverless.yml'), 'utf8')) as { functions: Record<string, Fn>; params: { default: Record<string, unknown> } };
  functions = doc.functions;
  params = doc.params.default;
}, 180_000);

describe('functions and bundles', () => {
  it('has a Lambda on nodejs22.x and a zip holding only its ESM bundle for every function', () => {
    for (const [name, fn] of Object.entries(functions)) {
      const [, lambda] = lambdaOf(name);
      expect(lambda.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: fn.handler, Architectures: ['arm64'] });
      expect(lambda.Properties!.Code.S3Key).toMatch(new RegExp(`/${name}\\.zip$`));
      const entries = zipEntries(readFileSync(join(repo, '.serverless', `${name}.zip`)));
      expect([...entries.keys()]).toEqual([`${fn.handler.replace(/\.[^.]+$/, '')}.mjs`]);
    }
    expect(resources().filter(([, r]) => r.Type === 'AWS::Lambda::Function')).toHaveLength(Object.keys(functions).length);
  });

  describe('bundles load on their own', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'latchkey-bundles-'));
      for (const name of Object.keys(functions)) {
        for (const [file, data] of zipEntries(readFileSync(join(repo, '.serverless', `${name}.zip`)))) {
          mkdirSync(dirname(join(dir, file)), { recursive: true });
          writeFileSync(join(dir, file), data);
        }
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('imports every handler outside the repo (no node_modules, no #shared left) and answers whoami', async () => {
      for (const name of Object.keys(functions)) {
        const code = readFileSync(join(dir, 'functions', name, 'handler.mjs'), 'utf8');
        expect(code).not.toMatch(/["']#(shared|functions|dev)\//);
        expect(code).toMatch(/export\s*\{[^}]*\bas handler\b/);
      }
      const script = `
        const names = ${JSON.stringify(Object.keys(functions))};
        for (const n of names) {
          const m = await import('./functions/' + n + '/handler.mjs');
          if (typeof m.handler !== 'function') throw new Error(n + ' exports no handler');
        }
        const { handler } = await import('./functions/whoami/handler.mjs');
        const claims = { sub: 'alice', [process.env.JWT_CLAIM_TENANT]: 'acme', roles: '[requester approver]' };
        const event = { version: '2.0', routeKey: 'GET /me', rawPath: '/me', headers: {}, isBase64Encoded: false,
          requestContext: { authorizer: { jwt: { claims, scopes: [] } }, http: { method: 'GET', path: '/me' } } };
        console.log(JSON.stringify(await handler(event, { awsRequestId: 'package-test' })));`;
      // The claim names as the template hands them to the function: the tenant's came from --param=claimTenant.
      const claimEnv = Object.fromEntries(Object.entries(lambdaOf('whoami')[1].Properties!.Environment.Variables as Record<string, unknown>).filter(([k]) => k.startsWith('JWT_CLAIM_')));
      expect(claimEnv).toEqual({ JWT_CLAIM_SUBJECT: 'sub', JWT_CLAIM_TENANT: tenantClaim, JWT_CLAIM_ROLES: 'roles', JWT_CLAIM_GROUPS: 'groups', JWT_CLAIM_NAME: 'name' });
      const env = { PATH: process.env.PATH, MAIN_TABLE: `latchkey-main-${stage}`, LOG_TABLE: `latchkey-log-${stage}`, AWS_REGION: 'eu-central-1', NODE_OPTIONS: offlineEnv().NODE_OPTIONS, ...claimEnv };
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env, timeout: 25_000 });
      const reply = JSON.parse(stdout.trim().split('\n').at(-1)!) as { statusCode: number; body: string };
      expect(reply.statusCode).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ id: 'alice', tenantId: 'acme', roles: ['requester', 'approver'] });
    });
  });
});

/** What esbuild puts in the functions' bundles (built once, for the tests that read it). */
let metafileOnce: Promise<Metafile> | undefined;
function bundledInputs(): Promise<Metafile> {
  const entryPoints = Object.values(functions).map((fn) => join(repo, `${fn.handler.replace(/\.[^.]+$/, '')}.ts`));
  metafileOnce ??= build({ entryPoints, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', absWorkingDir: repo, outdir: join(tmpdir(), 'latchkey-metafile'), logLevel: 'silent' }).then((r) => r.metafile);
  return metafileOnce;
}

describe('the OpenAPI document in the bundles', () => {
  it('is served by the openapi bundle as committed, and no bundle holds the generator, the client or their libraries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-openapi-bundle-'));
    try {
      for (const [file, data] of zipEntries(readFileSync(join(repo, '.serverless', 'openapi.zip')))) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), data);
      }
      const script = "const { handler } = await import('./functions/openapi/handler.mjs'); console.log(JSON.stringify(await handler()));";
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { PATH: process.env.PATH, NODE_OPTIONS: offlineEnv().NODE_OPTIONS }, timeout: 25_000 });
      const reply = JSON.parse(stdout.trim().split('\n').at(-1)!) as { statusCode: number; body: string };
      expect(reply.statusCode).toBe(200);
      expect(JSON.parse(reply.body)).toEqual(JSON.parse(readFileSync(join(repo, 'docs/openapi.json'), 'utf8')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const inputs = Object.keys((await bundledInputs()).inputs);
    expect(inputs).toContain('docs/openapi.json');
    expect(inputs.filter((file) => /^(openapi|client)\/|node_modules\/(zod-openapi|openapi-typescript|openapi-fetch|@redocly)\//.test(file))).toEqual([]);
  }, 120_000);
});

describe('IAM', () => {
  // Every function reaches tenant data only through TenantDataRole, assumed with the caller's tenant as the
  // one session tag (docs/tenant-isolation.md); its own role keeps only what crosses tenants on purpose.
  const tenantDataRole = `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/latchkey-${stage}-tenant-data`;
  const asTenant = [`${tenantDataRole} sts:AssumeRole if Null aws:RequestTag/tenant=false`, `${tenantDataRole} sts:TagSession if Null aws:RequestTag/tenant=false`];
  // SigV4 callers (the REST API): the SVCROLE identity item, read before the tenant is known.
  const identity = ['main dynamodb:GetItem if ForAllValues:StringLike dynamodb:LeadingKeys=SVCROLE#*'];
  // Idempotency-Key records (Powertools), with the function's own credentials: put in progress, read on a
  // conflict, update on success, delete on failure. Keys lead with the tenant (shared/http/idempotency.ts).
  const idempotency = ['idempotency dynamodb:DeleteItem', 'idempotency dynamodb:GetItem', 'idempotency dynamodb:PutItem', 'idempotency dynamodb:UpdateItem'];
  const secrets = 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:latchkey/* secretsmanager:GetSecretValue';
  const streamActions = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
  const stream = streamActions.map((a) => `log/stream ${a}`);
  // Exactly what each function may do; a change here is a security review.
  const expected: Record<string, string[]> = {
    whoami: [...asTenant, ...identity],
    // Serves the OpenAPI document bundled into its code: no data at all.
    openapi: [],
    'create-target': asTenant,
    'list-targets': asTenant,
    'get-target': asTenant,
    'put-policy': asTenant,
    'change-target': asTenant,
    'register-service': asTenant,
    'list-services': asTenant,
    'create-integration': asTenant,
    'list-integrations': asTenant,
    'get-integration': asTenant,
    'integration-setup': asTenant,
    'register-integration-role': asTenant,
    'create-request': [...asTenant, ...identity, ...idempotency],
    'list-requests': [...asTenant, ...identity],
    'get-request': [...asTenant, ...identity],
    'approve-request': [...asTenant, ...idempotency],
    'deny-request': [...asTenant, ...idempotency],
    'review-request': asTenant,
    'cancel-request': [...asTenant, ...identity, ...idempotency],
    'extend-request': [...asTenant, ...identity, ...idempotency],
    'list-events': asTenant,
    'export-events': asTenant,
    'request-timeline': asTenant,
    'verify-log': asTenant,
    // Each tenant in its own session (on demand, the caller's); only GSI8's directory of heads crosses tenants.
    'sign-digests': [...asTenant, 'log/index/GSI8 dynamodb:Query if ForAllValues:StringLike dynamodb:LeadingKeys=HEADS'],
    // The digest key's public half only (the key policy grants kms:GetPublicKey): no data.
    'audit-public-key': [],
    'access-summary': asTenant,
    // Notifications: each event, grant or click is handled in its tenant's session; what crosses tenants is named.
    notify: [...asTenant, secrets, ...stream, 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/* ses:SendEmail'],
    'remind-ending': [...asTenant, 'main/index/GSI3 dynamodb:Query if ForAllValues:StringLike dynamodb:LeadingKeys=DUE#*', secrets],
    'slack-interactions': [
      ...asTenant,
      'main dynamodb:GetItem if ForAllValues:StringLike dynamodb:LeadingKeys=SLACKTEAM#*',
      'main dynamodb:PutItem if ForAllValues:StringLike dynamodb:LeadingKeys=SLACKSIG#*|SLACKREFUSED#*',
      secrets,
    ],
    'notification-settings': [...asTenant, secrets],
    'put-notification-settings': [...asTenant, secrets],
    'notification-failures': asTenant,
    'get-contact': asTenant,
    'put-contact': [...asTenant, secrets],
  };
  // The broker is the one role customers trust; the functions that act in a customer
  // account share it (infra/iam.yml says why). Its grants are the union of their needs.
  const broker = ['issue-credentials', 'revoke-request', 'expire-requests', 'verify-integration'];
  const brokerGrants = [
    ...asTenant,
    ...identity,
    // The sweeper's listing of deadlines, across tenants by day.
    'main/index/GSI3 dynamodb:Query if ForAllValues:StringLike dynamodb:LeadingKeys=DUE#*',
    ...idempotency, // revoke-request
    'arn:aws:iam::*:role/* sts:AssumeRole if Null sts:SourceIdentity=false',
    'arn:aws:iam::*:role/* sts:SetSourceIdentity if Null sts:SourceIdentity=false',
    'arn:aws:iam::*:role/* sts:TagSession if Null sts:SourceIdentity=false',
  ];
  // TenantDataRole: each statement holds only for the session's own tenant's partition keys, on the tables and each index by name.
  const tenantKeys = 'ForAllValues:StringLike dynamodb:LeadingKeys=T#${aws:PrincipalTag/tenant}|T#${aws:PrincipalTag/tenant}#*';
  const mainActions = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'];
  const logActions = ['GetItem', 'BatchGetItem', 'Query', 'PutItem'];
  const tenantGrants = [
    ...['main', 'main/index/GSI1', 'main/index/GSI2'].flatMap((r) => mainActions.map((a) => `${r} dynamodb:${a} if ${tenantKeys}`)),
    ...['log', ...['GSI1', 'GSI2', 'GSI3', 'GSI5', 'GSI6', 'GSI7'].map((i) => `log/index/${i}`)].flatMap((r) => logActions.map((a) => `${r} dynamodb:${a} if ${tenantKeys}`)),
    // Break-glass review markers, in a partition of their own: the tenant session's only delete.
    'main dynamodb:DeleteItem if ForAllValues:StringEquals dynamodb:LeadingKeys=T#${aws:PrincipalTag/tenant}#BGOPEN',
    // The two names unique across tenants, claimed (a conditional Put) in the tenant's own transaction.
    'main dynamodb:PutItem if ForAllValues:StringLike dynamodb:LeadingKeys=SVCROLE#*|EXTID#*',
    // A tenant's Slack workspace, claimed and released with its notification settings.
    'main dynamodb:PutItem if ForAllValues:StringLike dynamodb:LeadingKeys=SLACKTEAM#*',
    'main dynamodb:DeleteItem if ForAllValues:StringLike dynamodb:LeadingKeys=SLACKTEAM#*',
  ];

  // No data at all: the OpenAPI document and the digest key's public half (its key policy grants kms:GetPublicKey).
  const noData = ['openapi', 'audit-public-key'];

  it('lists the IAM documents of every function: its role, and the tenant-data role it may assume', () => {
    const documents = Object.keys(functions).sort().map((name) => {
      const [roleId, role] = roleOf(name);
      const assumes = grantsOfRole(role).some((g) => g.startsWith(`${tenantDataRole} sts:AssumeRole`));
      return { name, roleId, grants: grantsOfRole(role).filter((g) => !g.startsWith('logs:')), tenantData: assumes ? grantsOfRole(template.Resources.TenantDataRole!) : [] };
    });
    for (const { name, grants, tenantData } of documents) {
      expect(grants, name).toEqual([...(broker.includes(name) ? brokerGrants : expected[name]!)].sort());
      expect(tenantData, name).toEqual(noData.includes(name) ? [] : [...tenantGrants].sort());
    }
  });

  // The one open end (README Known limits, docs/tenant-isolation.md): Idempotency-Key records are read and
  // written with the function's own credentials (Powertools builds its own client), keyed by tenant and caller
  // in code only. Pinned here to the table and to the functions that take a key, so it cannot spread.
  const idempotencyRecords = (statement: Statement) => statement.Sid === 'IdempotencyRecords' && JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] });
  const takesKeys = ['create-request', 'approve-request', 'deny-request', 'cancel-request', 'extend-request', 'revoke-request'];

  it('gives no function role any DynamoDB access to a tenant item: only SVCROLE#, DUE#, HEADS and the Slack lookups (SLACK…#), and the idempotency records', () => {
    for (const name of Object.keys(functions)) {
      const [roleId, role] = roleOf(name);
      for (const policy of list(role.Properties!.Policies as { PolicyDocument: { Statement: Statement[] } }[])) {
        // The notifier's stream read (log/stream) holds no items of its own to scope: it is the grant log's feed.
        const itemActions = (st: Statement) => list(st.Action).some((a) => a.startsWith('dynamodb:') && !streamActions.includes(a));
        const statements = list(policy.PolicyDocument.Statement).filter(itemActions);
        // The broker functions share one role, revoke-request's.
        expect(statements.some(idempotencyRecords), `${roleId} IdempotencyRecords`).toBe(takesKeys.includes(name) || broker.includes(name));
        for (const statement of statements.filter((st) => !idempotencyRecords(st))) {
          const keys = list(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | string | undefined);
          expect(keys.length, `${roleId} ${statement.Sid}`).toBeGreaterThan(0);
          expect(keys.filter((k) => !/^((SVCROLE|DUE|SLACKTEAM|SLACKSIG|SLACKREFUSED)#\*|HEADS)$/.test(k)), `${roleId} ${statement.Sid}`).toEqual([]);
          expect(Object.keys(statement.Condition!), `${roleId} ${statement.Sid}`).toEqual(['ForAllValues:StringLike']);
        }
      }
    }
  });

  it('lets exactly the function roles assume TenantDataRole, each session tagged with a tenant and nothing else', () => {
    const role = template.Resources.TenantDataRole!;
    expect(JSON.stringify(role.Properties!.RoleName)).toContain('-tenant-data');
    expect(role.Properties!.MaxSessionDuration).toBe(3600);
    expect(role.Properties!.ManagedPolicyArns ?? []).toEqual([]);
    const [trust, ...others] = list(role.Properties!.AssumeRolePolicyDocument.Statement as Statement[]);
    expect(others).toEqual([]);
    expect(trust).toMatchObject({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'] });
    expect(trust!.Condition).toEqual({ Null: { 'aws:RequestTag/tenant': 'false' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] } });
    const trusted = list((trust!.Principal as { AWS: unknown }).AWS).map((p) => (p as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]).sort();
    const functionRoles = [...new Set(Object.keys(functions).filter((n) => !noData.includes(n)).map((n) => roleOf(n)[0]))].sort();
    expect(trusted).toEqual(functionRoles);
    // The functions find it by name: the environment every function gets.
    expect(lambdaOf('get-request')[1].Properties!.Environment.Variables.TENANT_DATA_ROLE_ARN).toEqual({ 'Fn::GetAtt': ['TenantDataRole', 'Arn'] });
  });

  it('has an expected grant list for every function, and nothing else', () => {
    expect(Object.keys(functions).sort()).toEqual([...Object.keys(expected), ...broker].sort());
  });

  it('runs exactly the functions that act in customer accounts as the broker role, with a fixed name and exactly its grants', () => {
    const roleIds = new Set(broker.map((name) => roleOf(name)[0]));
    expect([...roleIds]).toEqual(['BrokerRole']);
    const role = template.Resources.BrokerRole!;
    expect(JSON.stringify(role.Properties!.RoleName)).toContain('-broker');
    const ownLogs = broker.map((name) => `logs:${lambdaOf(name)[0].replace(/LambdaFunction$/, 'LogGroup')}`);
    const grants = grantsOfRole(role).filter((g) => !ownLogs.some((l) => g.startsWith(`${l} `)));
    expect(grants).toEqual([...brokerGrants].sort());
    expect(grantsOfRole(role).length - grants.length).toBe(broker.length * 2);
    const users = resources().filter(([, r]) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties?.Role).includes('"BrokerRole"'));
    expect(users.map(([id]) => id).sort()).toEqual(broker.map((name) => lambdaOf(name)[0]).sort());
  });

  it.each(Object.keys(expected))('%s runs as its own role with exactly its grants', (name) => {
    const [lambdaId] = lambdaOf(name);
    const [roleId, role] = roleOf(name);
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties!.ManagedPolicyArns ?? []).toEqual([]);
    const ownLogs = `logs:${lambdaId.replace(/LambdaFunction$/, 'LogGroup')}`;
    const grants = grantsOfRole(role).map((g) => g.replace(ownLogs, 'logs:own'));
    expect(grants).toEqual([...expected[name]!, 'logs:own logs:CreateLogStream', 'logs:own logs:PutLogEvents'].sort());
    const users = resources().filter(([, r]) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties?.Role).includes(`"${roleId}"`));
    expect(users.map(([id]) => id)).toEqual([lambdaId]);
  });

  it('has no role that no function uses (the default osls role included), but the optional archive service roles and the trust probe role', () => {
    const used = new Set([...Object.keys(functions).map((name) => roleOf(name)[0]), 'TenantDataRole', 'TrustProbeRole']);
    const unused = resources().filter(([id, r]) => r.Type === 'AWS::IAM::Role' && !used.has(id));
    // The grant-log archive (infra/log-archive.yml): Firehose and Pipe roles, created only when enabled.
    expect(unused.map(([id]) => id).sort()).toEqual(['GrantLogArchiveDeliveryRole', 'GrantLogArchivePipeRole']);
    for (const [, role] of unused) expect(role.Condition).toBe('GrantLogArchiveEnabled');
  });

  it('has a trust probe role that only the broker may assume and that can only ask for roles, named to verify-integration', () => {
    const role = template.Resources.TrustProbeRole!;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties!.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['BrokerRole', 'Arn'] } }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
    });
    expect(grantsOfRole(role)).toEqual(['arn:aws:iam::*:role/* sts:AssumeRole', 'arn:aws:iam::*:role/* sts:SetSourceIdentity', 'arn:aws:iam::*:role/* sts:TagSession']);
    const [, verify] = lambdaOf('verify-integration');
    expect(verify.Properties!.Environment!.Variables!.TRUST_PROBE_ROLE_ARN).toEqual({ 'Fn::GetAtt': ['TrustProbeRole', 'Arn'] });
  });

  it('allows no wildcard action, NotAction or NotResource anywhere, and DynamoDB only on the three tables', () => {
    for (const { resource, statement } of allStatements(template).filter((f) => f.statement.Effect === 'Allow')) {
      const where = `${resource} ${statement.Sid ?? ''}`;
      expect(statement.NotAction, where).toBeUndefined();
      expect(statement.NotResource, where).toBeUndefined();
      for (const action of list(statement.Action)) {
        expect(action, where).not.toContain('*');
        if (action.startsWith('dynamodb:')) {
          for (const r of list(statement.Resource)) expect(JSON.stringify(r), where).toMatch(/"(MainTable|GrantLogTable|IdempotencyTable)"/);
        }
      }
    }
  });

  it('keeps the grant log append-only: on it, no role can update, delete or batch-write', () => {
    const reads = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem', 'DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'];
    const allowedOnLog = new Set([...reads, 'PutItem'].map((a) => `dynamodb:${a}`));
    const onLog = allStatements(template)
      .filter((f) => f.statement.Effect === 'Allow' && list(f.statement.Resource).some((r) => JSON.stringify(r).includes('"GrantLogTable"')))
      .flatMap((f) => list(f.statement.Action).map((action) => `${f.resource} ${action}`));
    expect(onLog.length).toBeGreaterThan(0);
    expect(onLog.filter((a) => /dynamodb:(UpdateItem|DeleteItem)$/.test(a))).toEqual([]);
    expect(onLog.filter((a) => !allowedOnLog.has(a.split(' ')[1]!))).toEqual([]);
  });

  // A drift guard, by kind of call rather than by table: code that a deployed
  // function bundles must not call DynamoDB in a way no role is allowed to
  // (local DynamoDB does not check IAM, so nothing else would notice before AWS).
  it('grants every kind of DynamoDB call in the code the functions bundle', async () => {
    const metafile = await bundledInputs();
    const adapters = Object.keys(metafile.inputs).filter((file) => /^shared\/adapters\/dynamodb\/.+\.ts$/.test(file));
    expect(adapters.length).toBeGreaterThan(0);
    const source = adapters.map((file) => readFileSync(join(repo, file), 'utf8')).join('\n');
    // lib-dynamodb (`GetCommand`) and client (`GetItemCommand`) names alike.
    const byCommand: Record<string, string> = { Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query', Scan: 'Scan', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'GetItem' };
    const byTransactItem: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
    const needed = new Set<string>();
    for (const [, command] of source.matchAll(/new (\w+?)(?:Item)?Command\(/g)) {
      // STS, not DynamoDB: the tenant session (tenant-data.ts), granted by the checks above.
      if (command === 'AssumeRole') continue;
      if (command === 'TransactWrite' || command === 'TransactWriteItems') {
        for (const [key, action] of Object.entries(byTransactItem)) if (new RegExp(`\\b${key}\\s*:\\s*\\{`).test(source)) needed.add(action);
      } else {
        needed.add(byCommand[command!] ?? `(unmapped ${command}Command)`);
      }
    }
    expect(needed.size).toBeGreaterThan(0);
    const granted = new Set(allStatements(template).filter((f) => f.kind === 'identity').flatMap((f) => list(f.statement.Action)));
    expect([...needed].filter((a) => !granted.has(`dynamodb:${a}`))).toEqual([]);
  });
});

describe('APIs', () => {
  it('has the JWT authorizer `people` with the issuer and audience passed as params', () => {
    expect(params).toHaveProperty('oidcIssuer');
    const authorizers = resources().filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]![1].Properties).toMatchObject({
      Name: 'people',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer, Audience: [audience] },
    });
  });

  it("puts every HTTP API route behind the JWT authorizer, but the public OpenAPI document and Slack's signed interactivity URL", () => {
    const routes = resources().filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Route');
    const declared = Object.values(functions).flatMap((fn) => list(fn.events).filter((e) => 'httpApi' in e));
    expect(routes).toHaveLength(declared.length);
    const publicRoutes = ['GET /openapi.json', 'POST /slack/interactions'];
    const [open, secured] = [routes.filter(([, r]) => publicRoutes.includes(r.Properties!.RouteKey)), routes.filter(([, r]) => !publicRoutes.includes(r.Properties!.RouteKey))];
    expect(open.map(([, r]) => r.Properties!.AuthorizationType ?? 'NONE')).toEqual(['NONE', 'NONE']);
    for (const [, route] of secured) expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'HttpApiAuthorizerPeople' } });
  });

  it('serves every REST method with AWS_IAM auth, under the resource policy', () => {
    const methods = resources().filter(([, r]) => r.Type === 'AWS::ApiGateway::Method');
    const declared = Object.values(functions).flatMap((fn) => list(fn.events).filter((e) => 'http' in e));
    expect(methods).toHaveLength(declared.length);
    for (const [, method] of methods) expect(method.Properties!.AuthorizationType).toBe('AWS_IAM');
    const [, api] = resources().find(([, r]) => r.Type === 'AWS::ApiGateway::RestApi')!;
    expect(api.Properties!.Policy.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: ['execute-api:Invoke'], Resource: 'execute-api:/*' },
    ]);
  });
});

describe('the digest key', () => {
  it('is an ECC_NIST_P256 signing key whose policy lets only sign-digests sign and only audit-public-key read the public key', () => {
    const key = template.Resources.DigestKey!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const statements = list(key.Properties!.KeyPolicy.Statement) as Array<{ Effect: string; Principal: unknown; Action: string | string[] }>;
    const who = (action: string) => statements.filter((st) => st.Effect === 'Allow' && list(st.Action).some((a) => a === action || a === 'kms:*' || a === '*')).map((st) => JSON.stringify(st.Principal));
    expect(who('kms:Sign')).toEqual([JSON.stringify({ AWS: { 'Fn::GetAtt': ['SignDigestsRole', 'Arn'] } })]);
    expect(who('kms:GetPublicKey')).toEqual([JSON.stringify({ AWS: { 'Fn::GetAtt': ['AuditPublicKeyRole', 'Arn'] } })]);
    expect(who('kms:Verify')).toEqual([]);
    expect(statements.flatMap((st) => list(st.Action)).filter((a) => a.includes('*'))).toEqual([]);
    // The roles get nothing from IAM: the key policy is the whole grant.
    for (const role of ['SignDigestsRole', 'AuditPublicKeyRole']) expect(grantsOfRole(template.Resources[role]!).filter((g) => g.includes('kms:'))).toEqual([]);
  });
});

describe('tables', () => {
  it.each(['MainTable', 'GrantLogTable'])('%s keeps its data: PITR, deletion protection, Retain on delete and replace', (id) => {
    const table = template.Resources[id]!;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('expires Idempotency-Key records by TTL on the attribute Powertools writes', () => {
    const table = template.Resources.IdempotencyTable!;
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });
});

describe('outputs', () => {
  // An output's Fn::Join as a URL, each Ref written <LogicalId>: enough to see what it points at.
  const render = (value: unknown): string => {
    const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return join[1].map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join(join[0]);
  };
  const output = (name: string) => {
    const found = template.Outputs?.[name];
    if (!found) throw new Error(`no output ${name}`);
    return found;
  };

  it('names the broker role, the role customer trust policies name', () => {
    expect(output('BrokerRoleArn').Value).toEqual({ 'Fn::GetAtt': ['BrokerRole', 'Arn'] });
  });

  it('gives the people API (the HTTP API, on its $default stage) without a stage path', () => {
    expect(render(output('PeopleApiUrl').Value)).toBe('https://<HttpApi>.execute-api.<AWS::Region>.<AWS::URLSuffix>');
    expect(template.Resources.HttpApi!.Type).toBe('AWS::ApiGatewayV2::Api');
    const stages = resources().filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(stages.map(([, r]) => r.Properties!.StageName)).toEqual(['$default']);
  });

  it('gives the service API (the SigV4 REST API) with the stage path its deployment uses', () => {
    expect(render(output('ServiceApiUrl').Value)).toBe(`https://<ApiGatewayRestApi>.execute-api.<AWS::Region>.<AWS::URLSuffix>/${stage}`);
    expect(template.Resources.ApiGatewayRestApi!.Type).toBe('AWS::ApiGateway::RestApi');
    const deployments = resources().filter(([, r]) => r.Type === 'AWS::ApiGateway::Deployment');
    expect(deployments.map(([, r]) => r.Properties!.StageName)).toEqual([stage]);
  });
});

describe('the console (infra/console.yml)', () => {
  const one = (type: string): Resource => {
    const found = resources().filter(([, r]) => r.Type === type);
    expect(found, type).toHaveLength(1);
    return found[0]![1];
  };
  const config = () => one('AWS::CloudFront::Distribution').Properties!.DistributionConfig;
  const csp = () => {
    const value = one('AWS::CloudFront::ResponseHeadersPolicy').Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy;
    expect(value.Override).toBe(true);
    // The issuer's host, as CloudFormation will select it from the param.
    const [, parts] = value.ContentSecurityPolicy['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => (typeof p === 'string' ? p : `https-host-of(${(p as any)['Fn::Select'][1]['Fn::Split'][1]})`)).join('');
  };

  it('sends a CSP that allows no inline script and no framing, HSTS, nosniff and DENY on every behaviour', () => {
    expect(csp()).toContain("script-src 'self';");
    expect(csp()).toContain("frame-ancestors 'none'");
    expect(csp()).toContain(`connect-src 'self' https://https-host-of(${issuer})`);
    expect(csp()).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const headers = one('AWS::CloudFront::ResponseHeadersPolicy').Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({ Override: true, IncludeSubdomains: true });
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.FrameOptions).toEqual({ Override: true, FrameOption: 'DENY' });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    const behaviours = [config().DefaultCacheBehavior, ...config().CacheBehaviors];
    expect(behaviours).toHaveLength(2);
    for (const b of behaviours) {
      expect(b.ResponseHeadersPolicyId).toEqual({ Ref: 'ConsoleSecurityHeaders' });
      expect(b.ViewerProtocolPolicy).toMatch(/^(redirect-to-https|https-only)$/);
    }
  });

  it('keeps the bucket private: only this distribution reads objects, through Origin Access Control, over TLS', () => {
    const bucket = template.Resources.ConsoleBucket!;
    expect(bucket.Properties!.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const [read, tls] = template.Resources.ConsoleBucketPolicy!.Properties!.PolicyDocument.Statement;
    expect(read).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(JSON.stringify(read.Condition)).toContain('{"Ref":"ConsoleDistribution"}');
    expect(tls).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const [assets] = config().Origins;
    expect(assets.OriginAccessControlId).toEqual({ 'Fn::GetAtt': ['ConsoleOriginAccessControl', 'Id'] });
    expect(assets.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('serves the people API under /api/ uncached, with the Authorization header, and /config.json from the params', () => {
    const [api] = config().CacheBehaviors;
    expect(api).toMatchObject({ PathPattern: '/api/*', TargetOriginId: 'people-api', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5ccc12f46a', OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' });
    const origin = config().Origins.find((o: { Id: string }) => o.Id === 'people-api');
    expect(JSON.stringify(origin.DomainName)).toContain('{"Ref":"HttpApi"}');
    const code = one('AWS::CloudFront::Function').Properties!.FunctionCode as string;
    expect(code).toContain(`issuer: '${issuer}', clientId: '${audience}', apiBase: '/api'`);
    // The function as CloudFront runs it: /config.json answered, /api stripped, assets untouched.
    const handler = new Function(`${code}; return handler;`)() as (e: { request: { uri: string } }) => any;
    expect(JSON.parse(handler({ request: { uri: '/config.json' } }).body.data)).toEqual({ issuer, clientId: audience, apiBase: '/api' });
    expect(handler({ request: { uri: '/api/requests' } }).uri).toBe('/requests');
    expect(handler({ request: { uri: '/assets/index.js' } }).uri).toBe('/assets/index.js');
    expect(template.Outputs?.ConsoleUrl?.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['ConsoleDistribution', 'DomainName'] }]] });
  });
});

describe('the deploy guard (infra/deploy-guard.mjs)', () => {
  // `package` into a scratch directory (--package); `deploy` packages into the repo's .serverless, which
  // the refusal must leave as the run above wrote it (the guard runs before the package step's cleanup).
  const packaged = join(repo, '.serverless/cloudformation-template-update-stack.json');

  async function refusalOf(command: 'package' | 'deploy', ...params: string[]): Promise<string> {
    const out = mkdtempSync(join(tmpdir(), 'latchkey-guard-'));
    try {
      const args = [osls, command, '--stage', 'prod', ...(command === 'package' ? ['--package', out] : []), ...params.map((p) => `--param=${p}`)];
      await run(process.execPath, args, { cwd: repo, env: offlineEnv(), timeout: 60_000 });
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      expect(e.code).toBe(1);
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    throw new Error(`osls ${command} succeeded with ${params.join(' ') || 'the placeholder issuer'}`);
  }

  it('refuses `osls package` with the placeholder issuer, saying why and what to pass', async () => {
    const output = await refusalOf('package');
    expect(output).toContain('Refusing to package or deploy stage "prod"');
    expect(output).toContain('its issuer is the placeholder https://issuer.example.invalid/');
    expect(output).toContain('--param="oidcIssuer=https://');
  }, 60_000);

  // Offline and with no credentials: were the guard not there, this would fail on the network instead.
  it('refuses `osls deploy` with the placeholder issuer before anything reaches AWS', async () => {
    const output = await refusalOf('deploy');
    expect(output).toContain('its issuer is the placeholder https://issuer.example.invalid/');
    expect(output).not.toContain('network access during packaging is not allowed');
  }, 60_000);

  it('refuses an issuer API Gateway could never fetch keys from (plain http)', async () => {
    const output = await refusalOf('package', 'oidcIssuer=http://idp.latchkey-customer.com/');
    expect(output).toContain('must be an https:// URL');
  }, 60_000);

  // Runs last in this file (vitest keeps the order): after every refusal above, `deploy`'s included.
  it('leaves the last package where it was: the refusals come before osls cleans .serverless', () => {
    expect(JSON.parse(readFileSync(packaged, 'utf8'))).toEqual(template);
  });
});
