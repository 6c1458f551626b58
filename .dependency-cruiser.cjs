// Import boundaries (STYLE.md "Core by feature, infrastructure by layer"); `npm test` runs it,
// and tests/static/boundaries.test.ts shows each rule failing on a deliberate violation.
const features = '(iam|grant-log|audit|requests|targets|services|minting|integrations)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one; type-only imports are erased and do not count.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-knows-no-infrastructure',
      severity: 'error',
      comment: 'Domain and use cases depend on ports, never on the SDK, HTTP, adapters or the composition root.',
      from: { path: `^shared/(kernel|${features.slice(1, -1)})/` },
      to: {
        path: ['^shared/(adapters|http|wiring)/', '^shared/config\\.ts$', '@aws-sdk/', '@smithy/', '@middy/', '@aws-lambda-powertools/', 'aws-lambda'],
      },
    },
    {
      name: 'feature-through-its-entry',
      severity: 'error',
      comment: "A feature reaches another only through that feature's index.ts.",
      from: { path: `^shared/${features}/` },
      to: { path: `^shared/${features}/`, pathNot: ['^shared/$1/', `^shared/${features}/index\\.ts$`] },
    },
    {
      name: 'kernel-is-the-bottom',
      severity: 'error',
      comment: 'The kernel is what every feature shares; it imports none of them.',
      from: { path: '^shared/kernel/' },
      to: { path: `^shared/${features}/` },
    },
    {
      name: 'nothing-ships-dev',
      severity: 'error',
      comment: 'dev/ is the local stack and its stand-ins; no deployed bundle may contain it.',
      from: { path: '^(functions|shared)/' },
      to: { path: '^dev/' },
    },
    {
      name: 'server-ships-no-api-tooling',
      severity: 'error',
      comment: 'The OpenAPI generator (zod-openapi, openapi-typescript) and the client are for builds, tests and the CLI; no Lambda bundle may contain them (functions/openapi serves the committed docs/openapi.json).',
      from: { path: '^(functions|shared)/' },
      to: { path: ['^openapi/', '^client/', 'zod-openapi', 'openapi-typescript', 'openapi-fetch', '@redocly/'] },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment: 'client/ ships in the CLI on its own: it knows the API only through its generated schema.d.ts.',
      from: { path: '^client/' },
      to: { path: '^(functions|shared|dev|openapi|bin)/' },
    },
    {
      name: 'nothing-ships-the-cli',
      severity: 'error',
      comment: 'cli/ is the latchkey command people run; no deployed bundle may contain it.',
      from: { path: '^(functions|shared)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'cli-speaks-only-http',
      severity: 'error',
      comment: 'The CLI reaches Latchkey through its API only: of shared/ it may use pure modules (kernel, feature entries), never handlers, adapters, wiring, the local stack or an AWS SDK.',
      from: { path: '^cli/' },
      to: {
        path: ['^functions/', '^dev/', '^shared/(adapters|http|wiring)/', '^shared/config\\.ts$', '@aws-sdk/', '@smithy/', '@middy/', '@aws-lambda-powertools/'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
