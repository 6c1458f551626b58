import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/errors.ts';
import { client } from '../support/api.ts';
import { policy, targetInput } from '../support/builders.ts';
import { cliJson, forgetPeople, login, person, runCli, signInWhenAsked, startCli } from '../support/cli.ts';
import { freshTenant } from '../support/dynamo.ts';
import { tokenFor } from '../support/tokens.ts';
import type { Policy } from '#shared/targets/target';

// The policy rules (docs/policy-rules.md) as people meet them in the `latchkey` CLI: a step-up
// that signs them in again and retries, and break-glass from opening to review.

afterAll(forgetPeople);

async function tenantWith(rules: Partial<Policy>) {
  const tenant = freshTenant('e2e-cli-rules');
  const admin = client(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  const created = await admin.POST('/targets', { body: targetInput({ name: 'orders', policy: policy(rules) }) });
  expect(created.response.status).toBe(201);
  return { tenant, targetId: created.data!.targetId };
}

describe('latchkey and step-up', () => {
  it('signs the approver in again with max_age, prompt=login and acr_values when the policy asks, then approves', async () => {
    const { tenant, targetId } = await tenantWith({ stepUp: { approve: { maxAgeMinutes: 5, mfa: true } } } as Partial<Policy>);
    const alice = client(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
    const created = await alice.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-5 look' } });
    const requestId = created.data!.requestId;
    const bob = person('bob');
    const identity = { user: 'bob', tenant, roles: ['approver'], groups: ['dba'] };
    await login(bob, identity); // a password-only sign-in: not enough for this policy

    const running = startCli(bob, ['approve', requestId]);
    const asked = await signInWhenAsked(running, { ...identity, mfa: true });
    const run = await running.done;

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('asks for a fresh sign-in');
    expect(Object.fromEntries(['prompt', 'max_age', 'acr_values'].map((k) => [k, asked.searchParams.get(k)]))).toEqual({ prompt: 'login', max_age: '0', acr_values: 'mfa' });
    expect(run.stdout).toContain(`${requestId}: approved`);
    // The new sign-in is cached: the next guarded call needs no second one.
    expect((await cliJson(bob, ['show', requestId])).status).toBe('approved');
  });

  it('answers a script token that fails the policy with exit 3 and what to do, without a sign-in', async () => {
    const { tenant, targetId } = await tenantWith({ stepUp: { approve: { mfa: true } } } as Partial<Policy>);
    const alice = client(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
    const created = await alice.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-6' } });
    const token = await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'], claims: { auth_time: Math.floor(Date.now() / 1000), amr: ['pwd'] } });

    const run = await runCli(person('bob-script'), ['approve', created.data!.requestId], { LATCHKEY_TOKEN: token });

    expect(run.code).toBe(ExitCode.notSignedIn);
    expect(run.stderr).toContain('with MFA');
    expect(run.stderr).toContain('get a fresh token');
    expect(run.stderr).not.toContain('/authorize?');
  });
});

describe('latchkey and break-glass', () => {
  it('opens at once with --break-glass, lists it as unreviewed, and takes a review', async () => {
    const { tenant } = await tenantWith({ breakGlass: { groups: ['oncall'], principals: [], maxDurationMinutes: 30, maxPerPersonPerDay: 2 } } as Partial<Policy>);
    const env = (sub: string, roles: string[], groups: string[]) => tokenFor({ sub, tenant, roles, groups }).then((t) => ({ LATCHKEY_TOKEN: t }));
    const olga = person('olga');
    const olgaEnv = await env('olga', ['requester'], ['oncall']);
    const bobEnv = await env('bob', ['approver'], ['dba']);

    const opened = await runCli(olga, ['--json', 'request', 'orders', '-u', 'app_ro', '--for', '20m', '-r', 'orders down', '--break-glass'], olgaEnv);
    expect(opened.code, opened.stderr).toBe(0);
    const request = JSON.parse(opened.stdout) as { requestId: string; status: string; breakGlass?: unknown };
    expect(request).toMatchObject({ status: 'approved', breakGlass: { openedAt: expect.any(String) } });
    expect(opened.stderr).toContain('BREAK-GLASS');

    const listed = await runCli(person('bob'), ['requests', '--unreviewed'], bobEnv);
    expect(listed.stdout).toContain(request.requestId);
    expect(listed.stdout).toContain('BREAK-GLASS, UNREVIEWED');

    const reviewed = await runCli(person('bob'), ['review', request.requestId, '--ack', '-n', 'paged, fine'], bobEnv);
    expect(reviewed.code, reviewed.stderr).toBe(0);
    expect(reviewed.stdout).toContain('break-glass acknowledged by bob');
    const shown = await runCli(person('bob'), ['show', request.requestId], bobEnv);
    expect(shown.stdout).toMatch(/acknowledged by bob \("paged, fine"\)/);
    expect((await runCli(person('bob'), ['requests', '--unreviewed'], bobEnv)).stdout).toContain('No break-glass grant awaits review.');
  });
});
