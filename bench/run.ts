import { main as apiLatency } from './api-latency.ts';
import { main as coldStart } from './cold-start.ts';
import { main as grantLog } from './grant-log.ts';
import { main as issuance } from './issuance.ts';
import { main as signing } from './signing.ts';

// `npm run bench`: every benchmark, one after the other, figures on stdout.
// Each file also runs on its own: `npx tsx bench/<name>.ts`.
const benches: [string, () => Promise<void>][] = [
  ['cold-start', () => coldStart()],
  ['api-latency', () => apiLatency()],
  ['issuance', () => issuance()],
  ['signing', () => signing()],
  ['grant-log', () => grantLog()],
];

// The benches run on this machine's Node 20; Lambda runs 22 (README, Known limits).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const only = process.argv.slice(2);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  await run();
}
