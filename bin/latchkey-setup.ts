import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { customerRoleTemplate, hostedTemplateName } from '../shared/integrations/setup-cloudformation.ts';

// `npm run setup -- <integrationId> [--format …] [--out DIR]`: fetches an
// integration's setup from a Latchkey API (local or deployed) as its admin and
// prints it or writes it to files, with what changed since the last setup
// handed out. `npm run setup -- --hosted-template DIR` writes the one
// CloudFormation template the operator publishes under SETUP_TEMPLATE_BASE_URL.

export const USAGE = `usage:
  npm run setup -- <integrationId> [--format json|cloudformation|terraform|sql|all] [--out DIR]
  npm run setup -- --hosted-template DIR

  --format F            what to fetch (default json; "all" writes every file, needs --out)
  --out DIR             write files into DIR instead of printing the artifact
  --api URL             Latchkey API (default $LATCHKEY_API, else http://127.0.0.1:4480)
  --hosted-template DIR write the customer-role template to publish under SETUP_TEMPLATE_BASE_URL

environment: LATCHKEY_API, LATCHKEY_TOKEN (an admin's bearer token; required to fetch)`;

const FORMATS = ['json', 'cloudformation', 'terraform', 'sql', 'all'] as const;
type Format = (typeof FORMATS)[number];

type Setup = {
  integrationId: string;
  status: string;
  roleArn: string | null;
  externalId: string;
  policyHash: string;
  changes: { added: string[]; removed: string[]; since: string | null };
  cloudFormation: { template: unknown; quickCreate: { url: string | null; reason?: string } };
  terraform: string;
  sql: string;
};

/** The file each format is saved as. */
export function filesFor(setup: Setup, format: Exclude<Format, 'all'>): { name: string; text: string } {
  const id = setup.integrationId;
  switch (format) {
    case 'cloudformation':
      return { name: `latchkey-${id}.cfn.json`, text: `${JSON.stringify(setup.cloudFormation.template, null, 2)}\n` };
    case 'terraform':
      return { name: `latchkey-${id}.tf`, text: setup.terraform };
    case 'sql':
      return { name: `latchkey-${id}.sql`, text: setup.sql };
    default:
      return { name: `latchkey-${id}.setup.json`, text: `${JSON.stringify(setup, null, 2)}\n` };
  }
}

export function summary(setup: Setup): string {
  const lines = [`integration ${setup.integrationId}: ${setup.status}${setup.roleArn ? ` (role ${setup.roleArn})` : ' (no role registered yet)'}`];
  const { added, removed, since } = setup.changes;
  if (added.length + removed.length === 0) lines.push(`permission policy unchanged since ${since ?? 'never'}`);
  else {
    lines.push(`permission policy changed since ${since ?? 'the first setup'}: apply the new setup to the role`);
    for (const r of added) lines.push(`  + ${r}`);
    for (const r of removed) lines.push(`  - ${r}`);
  }
  const quick = setup.cloudFormation.quickCreate;
  lines.push(quick.url ? `quick-create link: ${quick.url}` : `no quick-create link: ${quick.reason ?? 'not available'}`);
  return lines.join('\n');
}

async function fetchSetup(api: string, token: string, integrationId: string): Promise<Setup> {
  const response = await fetch(`${api.replace(/\/+$/, '')}/integrations/${encodeURIComponent(integrationId)}/setup?format=json`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      const body = JSON.parse(text) as { message?: string; error?: string };
      message = body.message ?? body.error ?? text;
    } catch {
      /* not JSON: print as is */
    }
    throw new Error(`${response.status}: ${message}`);
  }
  return JSON.parse(text) as Setup;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, api: { type: 'string' }, 'hosted-template': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return console.log(USAGE), 0;
  if (values['hosted-template']) {
    const dir = resolve(values['hosted-template']);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, hostedTemplateName());
    writeFileSync(file, `${JSON.stringify(customerRoleTemplate(), null, 2)}\n`);
    console.log(`${file}\npublish it so that SETUP_TEMPLATE_BASE_URL/${hostedTemplateName()} serves it (an Amazon S3 object the customers' consoles can read)`);
    return 0;
  }
  const [integrationId] = positionals;
  const format = (values.format ?? 'json') as Format;
  if (!integrationId || positionals.length > 1 || !FORMATS.includes(format)) return console.error(USAGE), 2;
  if (format === 'all' && !values.out) return console.error('--format all writes several files: give --out DIR'), 2;
  const token = process.env.LATCHKEY_TOKEN;
  if (!token) return console.error('Set LATCHKEY_TOKEN to an admin token (locally: npm run -s token -- --user ada --tenant acme --roles admin).'), 2;
  const api = values.api ?? process.env.LATCHKEY_API ?? 'http://127.0.0.1:4480';

  const setup = await fetchSetup(api, token, integrationId);
  const formats = format === 'all' ? (['json', 'cloudformation', 'terraform', 'sql'] as const) : [format];
  if (!values.out) {
    process.stdout.write(filesFor(setup, formats[0]!).text);
    console.error(summary(setup));
    return 0;
  }
  const dir = resolve(values.out);
  mkdirSync(dir, { recursive: true });
  for (const f of formats) {
    const { name, text } = filesFor(setup, f);
    writeFileSync(join(dir, name), text);
    console.log(join(dir, name));
  }
  console.log(summary(setup));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('latchkey-setup.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`latchkey-setup: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
