import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// RE2 (re2js) is loaded when a ticket pattern is first used, not when a handler is imported:
// the policy schema is in every function's cold start. A fresh process, as this one may have
// loaded it; re2js is ESM, so a resolve hook (module.register) reports when it is loaded.
const hook = `let port; export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); if (r.url.includes('/re2js/')) port.postMessage(r.url); return r; }`;
const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
let seen = false;
port1.on('message', () => (seen = true));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
const settle = () => new Promise((r) => setTimeout(r, 200));
await import('#functions/create-request/handler');
await settle();
const before = seen;
const { findTicket } = await import('#shared/targets/ticket-pattern');
const ticket = await findTicket('INC-\\\\d+', 'see INC-7');
await settle();
process.stdout.write(JSON.stringify({ before, ticket, after: seen }));
`;

it('imports the create-request handler without RE2, and loads it to find a ticket', async () => {
  const env = { PATH: process.env.PATH, MAIN_TABLE: 'latchkey-main-test', LOG_TABLE: 'latchkey-log-test', AWS_REGION: 'eu-central-1', LATCHKEY_SILENT: '1' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, cwd: process.cwd(), timeout: 60_000 });
  expect(JSON.parse(stdout)).toEqual({ before: false, ticket: 'INC-7', after: true });
}, 60_000);
