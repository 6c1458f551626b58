import { Signer } from '@aws-sdk/rds-signer';
import { fileURLToPath } from 'node:url';
import { RdsTokenSigner } from '#shared/adapters/aws/rds-token-signer';
import { summary, table } from './stats.ts';

// Signing alone: Latchkey's RdsTokenSigner (the adapter the issuance path uses)
// against a bare `new Signer(...).getAuthToken()` loop with the same inputs.
// Goal: the adapter costs at most 1.2x the bare SDK call.

const input = {
  hostname: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com',
  port: 5432,
  region: 'eu-central-1',
  username: 'app_ro',
};
const credentials = {
  accessKeyId: 'ASIAEXAMPLESESSION01',
  secretAccessKey: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEtokenFwoGZXIvYXdzEBYaDHhBTEXAMPLE+/==',
  expiration: new Date(Date.now() + 3_600_000),
};

async function time(n: number, fn: () => Promise<string>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function main(n = Number(process.env.BENCH_SIGNINGS ?? 5000)): Promise<void> {
  const adapter = new RdsTokenSigner();
  const viaAdapter = () => adapter.sign({ ...input, credentials });
  const bare = () => new Signer({ ...input, credentials }).getAuthToken();
  await time(500, viaAdapter);
  await time(500, bare);
  // Interleaved rounds so drift (GC, CPU frequency, other load) hits both alike.
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 10; round++) {
    b.push(...(await time(n / 10, bare)));
    a.push(...(await time(n / 10, viaAdapter)));
  }
  const sa = summary(a);
  const sb = summary(b);
  console.log(`\n## RDS token signing (${n} tokens each)\n`);
  console.log(table([
    ['', 'mean ms', 'p50 ms', 'p99 ms', 'tokens/s'],
    ['bare Signer.getAuthToken', sb.mean, sb.p50, sb.p99, 1000 / sb.mean],
    ['RdsTokenSigner.sign', sa.mean, sa.p50, sa.p99, 1000 / sa.mean],
  ]));
  console.log(`ratio (adapter / bare, mean): ${(sa.mean / sb.mean).toFixed(3)}x  (goal <= 1.2x)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
