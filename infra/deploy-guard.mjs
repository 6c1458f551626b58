// @ts-check
// A local osls plugin (serverless.yml `plugins: - ./infra/deploy-guard.mjs`) that refuses to package
// or deploy a stack whose JWT authorizer could never accept a token. API Gateway takes any issuer URL;
// with the placeholder in serverless.yml's params (or a typo'd scheme, or a reserved name), the stack
// deploys cleanly and then answers 401 to everyone, which is a worse way to find out.
//
// It runs before `package` starts (before its cleanup, so a refusal leaves the last package alone;
// `osls deploy` packages first) and before `deploy` itself (for `osls deploy --package DIR`), on the
// configuration after osls resolved its variables, so it checks what would be deployed rather than a
// parameter by name. The local stack does not run osls: it reads
// serverless.yml itself with its own issuer (dev/serverless-config.ts), so nothing here stops it.
// Plain JavaScript because osls loads plugins with require/import, without a TypeScript loader;
// deploy-guard.d.mts gives the tests its types.

/** serverless.yml's `params.default.oidcIssuer`: a name in `.invalid`, which never resolves (RFC 6761). */
export const PLACEHOLDER_ISSUER = 'https://issuer.example.invalid/';

// Names no identity provider answers on: RFC 2606 and RFC 6761 reserve them for documentation and tests;
// `.local` is multicast DNS (RFC 6762), never reachable from AWS.
const reservedSuffixes = ['.invalid', '.example', '.test', '.localhost', '.local'];
const reservedNames = ['localhost', 'example.com', 'example.net', 'example.org'];

/**
 * Why API Gateway could not verify tokens from this issuer, or undefined when it looks like a real one.
 * @param {unknown} issuer
 * @returns {string | undefined}
 */
export function issuerProblem(issuer) {
  if (issuer === undefined || issuer === null || issuer === '') return 'is not set';
  if (typeof issuer !== 'string') return 'is not a string';
  if (issuer === PLACEHOLDER_ISSUER) return `is the placeholder ${PLACEHOLDER_ISSUER} from serverless.yml`;
  /** @type {URL} */
  let url;
  try {
    url = new URL(issuer);
  } catch {
    return `is not a URL (${JSON.stringify(issuer)})`;
  }
  if (url.protocol !== 'https:') return `must be an https:// URL, not ${url.protocol}// (API Gateway fetches its discovery document and keys over HTTPS)`;
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash || issuer.includes('?') || issuer.includes('#')) return 'must have no query or fragment (OpenID Connect issuer identifiers have neither)';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const reserved = reservedNames.some((name) => host === name || host.endsWith(`.${name}`)) || reservedSuffixes.some((suffix) => host.endsWith(suffix));
  if (reserved) return `names ${host}, a name reserved for examples and tests that no identity provider answers on`;
  if (/^(127\.|0\.|10\.|192\.168\.|169\.254\.)/.test(host) || host === '[::1]' || /^172\.(1[6-9]|2\d|3[01])\./.test(host)) {
    return `names ${host}, an address API Gateway cannot reach from AWS`;
  }
  return undefined;
}

/**
 * Every problem with the resolved service's JWT authorizers, as sentences.
 * @param {{ provider?: { httpApi?: { authorizers?: Record<string, { type?: string, issuerUrl?: unknown, audience?: unknown }> } } }} service
 * @returns {string[]}
 */
export function deployProblems(service) {
  const authorizers = service.provider?.httpApi?.authorizers ?? {};
  const problems = [];
  for (const [name, authorizer] of Object.entries(authorizers)) {
    if (authorizer.type !== undefined && String(authorizer.type).toLowerCase() !== 'jwt') continue;
    const issuer = issuerProblem(authorizer.issuerUrl);
    if (issuer) problems.push(`the JWT authorizer "${name}": its issuer ${issuer}`);
    const audience = Array.isArray(authorizer.audience) ? authorizer.audience : [authorizer.audience];
    if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a.trim() === '')) {
      problems.push(`the JWT authorizer "${name}": its audience is empty`);
    }
  }
  return problems;
}

/**
 * What osls shows: every problem, and how to fix the usual one.
 * @param {string} stage
 * @param {string[]} problems
 */
export function refusal(stage, problems) {
  return [
    `Refusing to package or deploy stage "${stage}": API Gateway would answer 401 to every person, because`,
    ...problems.map((p) => `  - ${p}`),
    'Pass your identity provider\'s issuer and audience, e.g.',
    '  npx osls deploy --stage prod --param="oidcIssuer=https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbCdEf123" --param="oidcAudience=<app client id>"',
    'docs/deploy.md has the issuer URL and audience for Cognito, Okta, Microsoft Entra ID and Auth0.',
  ].join('\n');
}

export default class DeployGuard {
  /**
   * @param {any} serverless
   * @param {Record<string, unknown>} options
   */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    const check = () => this.check();
    this.hooks = { 'before:package:cleanup': check, 'before:deploy:deploy': check };
  }

  check() {
    const problems = deployProblems(this.serverless.service);
    if (problems.length === 0) return;
    const stage = this.serverless.getProvider('aws').getStage();
    throw new this.serverless.classes.Error(refusal(stage, problems), 'LATCHKEY_DEPLOY_GUARD');
  }
}
