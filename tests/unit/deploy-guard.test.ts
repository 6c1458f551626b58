import { describe, expect, it } from 'vitest';
import { readServerlessYaml, resolveVariables } from '#dev/serverless-config';
import DeployGuard, { deployProblems, issuerProblem, PLACEHOLDER_ISSUER } from '../../infra/deploy-guard.mjs';

// infra/deploy-guard.mjs, the osls plugin that refuses to package or deploy a JWT authorizer no
// token could pass. tests/package runs it inside `osls package` and `osls deploy`; these are its rules.

describe('issuerProblem', () => {
  it.each([
    ['Cognito', 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbCdEf123'],
    ['Okta (a custom authorization server)', 'https://acme.okta.com/oauth2/default'],
    ['Entra ID v2.0', 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0'],
    ['Auth0 (with its trailing slash)', 'https://acme.eu.auth0.com/'],
  ])('accepts %s', (_idp, issuer) => {
    expect(issuerProblem(issuer)).toBeUndefined();
  });

  it.each([
    ['unset', undefined, 'is not set'],
    ['empty', '', 'is not set'],
    ['not a string', ['https://acme.okta.com'], 'is not a string'],
    ['the placeholder', PLACEHOLDER_ISSUER, 'is the placeholder'],
    ['not a URL', 'acme.okta.com', 'is not a URL'],
    ['plain http', 'http://acme.okta.com/oauth2/default', 'must be an https:// URL'],
    ['with credentials', 'https://user:pw@acme.okta.com/', 'user name or password'],
    ['with a query', 'https://acme.okta.com/oauth2/default?x=1', 'no query or fragment'],
    ['with a fragment', 'https://acme.okta.com/#x', 'no query or fragment'],
    ['another .invalid name', 'https://issuer.package-test.invalid/', 'reserved for examples'],
    ['the documentation example', 'https://your-idp.example.com/', 'reserved for examples'],
    ['a .test name', 'https://idp.test/', 'reserved for examples'],
    ['localhost', 'https://localhost:8443/', 'reserved for examples'],
    ['a loopback address', 'https://127.0.0.1:4481/', 'cannot reach'],
    ['a private address', 'https://10.1.2.3/', 'cannot reach'],
  ])('refuses an issuer that is %s', (_case, issuer, problem) => {
    expect(issuerProblem(issuer)).toContain(problem);
  });
});

describe('deployProblems on serverless.yml as osls resolves it', () => {
  const doc = readServerlessYaml();
  const service = (params: Record<string, string>) => ({ provider: resolveVariables(doc.provider, doc, { stage: 'prod', params }) as never });

  it('finds the placeholder issuer when no oidcIssuer is passed', () => {
    expect(deployProblems(service({}))).toEqual([`the JWT authorizer "people": its issuer is the placeholder ${PLACEHOLDER_ISSUER} from serverless.yml`]);
  });

  it('finds nothing with a real issuer and the default audience', () => {
    expect(deployProblems(service({ oidcIssuer: 'https://acme.okta.com/oauth2/default' }))).toEqual([]);
  });

  it('finds an empty audience', () => {
    expect(deployProblems(service({ oidcIssuer: 'https://acme.okta.com/oauth2/default', oidcAudience: ' ' }))).toEqual(['the JWT authorizer "people": its audience is empty']);
  });
});

describe('the plugin', () => {
  class ServerlessError extends Error {}
  const serverless = (issuerUrl: string) => ({
    service: { provider: { httpApi: { authorizers: { people: { type: 'jwt', issuerUrl, audience: ['latchkey'] } } } } },
    classes: { Error: ServerlessError },
    getProvider: () => ({ getStage: () => 'prod' }),
  });

  it('checks before package and before deploy, and throws osls\'s own error class with every problem', () => {
    const guard = new DeployGuard(serverless(PLACEHOLDER_ISSUER), {});

    expect(Object.keys(guard.hooks).sort()).toEqual(['before:deploy:deploy', 'before:package:cleanup']);
    for (const hook of Object.values(guard.hooks)) {
      expect(hook).toThrow(ServerlessError);
      expect(hook).toThrow(/Refusing to package or deploy stage "prod"[\s\S]*placeholder[\s\S]*--param="oidcIssuer=/);
    }
  });

  it('lets a real issuer through', () => {
    const guard = new DeployGuard(serverless('https://acme.eu.auth0.com/'), {});

    for (const hook of Object.values(guard.hooks)) expect(hook).not.toThrow();
  });
});
