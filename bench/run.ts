import { main as apiLatency } from './api-latency.ts';
import { main as coldStart } from './cold-start.ts';
import { main as dynamodbLocalJvm } from './dynamodb-local-jvm.ts';
import { main as grantLog } from './grant-log.ts';
import { main as issuance } from './issuance.ts';
import { main as openLoop } from './open-loop.ts';
import { main as signing } from './signing.ts';
import { main as tenantData } from './tenant-data.ts';
import { main as tenantWriters } from './tenant-writers.ts';

// `npm run bench`: every benchmark, one after the other, figures on stdout.
// Each file also runs on its own: `npx tsx bench/<name>.ts`.
const benches: [string, () => Promise<void>][] = [
  ['cold-start', () => coldStart()],
  ['api-latency', () => apiLatency()],
  ['issuance', () => issuance()],
  ['tenant-data', () => tenantData()],
  ['tenant-writers', () => tenantWriters()],
  ['open-loop', () => openLoop()],
  ['dynamodb-local-jvm', () => dynamodbLocalJvm()],
  ['signing', () => signing()],
  ['grant-log', () => grantLog()],
];

const only = process.argv.slice(2);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  await run();
}
