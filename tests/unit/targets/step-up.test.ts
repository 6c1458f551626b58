import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/kernel/principal';
import { StepUpRequiredError } from '#shared/targets/errors';
import { requireStepUp } from '#shared/targets/step-up';
import { policySchema, type Policy } from '#shared/targets/target';
import { principalFromClaims } from '#shared/http/resolve-principal';
import { defaultClaimNames } from '#shared/kernel/principal';
import { approveRequest, denyRequest } from '#shared/requests/use-cases';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { aService, aPolicy } from '../../support/fakes/index.ts';
import { policy as basePolicy } from '../../support/builders.ts';
import { aPendingRequestBy, expectRefusedWithoutWrites, people, world } from '../../support/world.ts';
import { aTarget as aMintingTarget, approvedGrant, fakeMintingDeps, requester as mintingRequester } from '../../support/minting-world.ts';

const now = new Date('2030-01-15T09:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const signedIn = (who: Principal, time: Date | undefined, methods: string[] = ['pwd']): Principal => ({ ...who, authentication: { ...(time ? { time } : {}), methods } });
const withStepUp = (stepUp: Policy['stepUp']): Policy => aPolicy({ stepUp } as Partial<Policy>);

describe('policy stepUp', () => {
  it('is absent by default and refuses a rule that asks for nothing', () => {
    expect(policySchema.parse(basePolicy())).not.toHaveProperty('stepUp');
    expect(policySchema.safeParse(basePolicy({ stepUp: { approve: { mfa: false } } } as Partial<Policy>)).success).toBe(false);
    expect(policySchema.safeParse(basePolicy({ stepUp: { approve: { maxAgeMinutes: 0, mfa: false } } } as Partial<Policy>)).success).toBe(false);
  });
});

describe('requireStepUp', () => {
  const age = withStepUp({ approve: { maxAgeMinutes: 10, mfa: false } });
  const mfa = withStepUp({ approve: { mfa: true } });
  const both = withStepUp({ approve: { maxAgeMinutes: 10, mfa: true } });

  it.each([
    ['a sign-in 9 minutes old under a 10-minute rule', age, signedIn(people.bob, minutesAgo(9))],
    ['a sign-in exactly 10 minutes old', age, signedIn(people.bob, minutesAgo(10))],
    ['amr with mfa', mfa, signedIn(people.bob, undefined, ['pwd', 'mfa'])],
    ['amr with a hardware key', mfa, signedIn(people.bob, undefined, ['hwk'])],
    ['a fresh MFA sign-in under a rule asking both', both, signedIn(people.bob, minutesAgo(1), ['pwd', 'otp'])],
    ['a sign-in a few seconds in the future (IdP clock skew)', age, signedIn(people.bob, new Date(now.getTime() + 30_000))],
    ['anyone, where the policy has no rule for the action', withStepUp({ issue: { mfa: true } }), people.bob],
    ['a service (no interactive sign-in to refresh)', both, aService('etl', [])],
  ])('passes %s', (_what, policy, principal) => {
    expect(() => requireStepUp(principal, policy, 'approve', now)).not.toThrow();
  });

  it.each([
    ['a sign-in 11 minutes old', age, signedIn(people.bob, minutesAgo(11)), ['recent_sign_in']],
    ['no auth_time at all', age, people.bob, ['recent_sign_in']],
    ['an auth_time far in the future', age, signedIn(people.bob, new Date(now.getTime() + 3_600_000)), ['recent_sign_in']],
    ['amr without a second factor', mfa, signedIn(people.bob, minutesAgo(1), ['pwd']), ['mfa']],
    ['no amr at all', mfa, people.bob, ['mfa']],
    ['an old password-only sign-in under a rule asking both', both, signedIn(people.bob, minutesAgo(30), ['pwd']), ['recent_sign_in', 'mfa']],
  ])('refuses %s with step_up_required naming what is missing', (_what, policy, principal, missing) => {
    let thrown: unknown;
    try {
      requireStepUp(principal, policy, 'approve', now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StepUpRequiredError);
    expect(thrown).toMatchObject({ code: 'step_up_required', details: { action: 'approve', missing } });
  });

  it('tells a client the OIDC parameters that get a token which passes', () => {
    expect(() => requireStepUp(people.bob, both, 'approve', now)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ maxAgeMinutes: 10, mfa: true, authorize: { prompt: 'login', max_age: 0, acr_values: 'mfa' } }) }),
    );
  });
});

describe('step-up when approving', () => {
  const stepUp = { approve: { maxAgeMinutes: 5, mfa: false } };

  it('refuses an approval on an old sign-in and writes nothing, then counts the same approver after a fresh one', async () => {
    const { deps } = world({ stepUp } as Partial<Policy>);
    const request = await aPendingRequestBy(deps);
    const stale = signedIn(people.bob, new Date(deps.clock.now().getTime() - 6 * 60_000));
    const fresh = signedIn(people.bob, new Date(deps.clock.now().getTime() - 60_000));

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, stale, { requestId: request.requestId }), StepUpRequiredError);
    await expect(approveRequest(deps, fresh, { requestId: request.requestId })).resolves.toMatchObject({ status: 'approved', approvals: [{ approverId: 'bob' }] });
  });

  it('does not ask it to deny (refusing access needs no proof)', async () => {
    const { deps } = world({ stepUp } as Partial<Policy>);
    const request = await aPendingRequestBy(deps);

    await expect(denyRequest(deps, people.bob, { requestId: request.requestId })).resolves.toMatchObject({ status: 'denied' });
  });

  it('refuses the requester as before, whatever their sign-in (authorization comes first)', async () => {
    const { deps } = world({ stepUp } as Partial<Policy>);
    const request = await aPendingRequestBy(deps, people.dana);

    await expect(approveRequest(deps, people.dana, { requestId: request.requestId })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('step-up when minting', () => {
  function mintingWorld() {
    const deps = fakeMintingDeps();
    const target = aMintingTarget();
    deps.targets.seed({ ...target, policy: { ...target.policy, stepUp: { issue: { maxAgeMinutes: 15, mfa: true } } } });
    deps.requests.seed(approvedGrant(60));
    return deps;
  }

  it('refuses to mint on a sign-in without MFA, before anything is attempted or logged', async () => {
    const deps = mintingWorld();
    const events = deps.log.events.length;

    await expect(issueCredentials(deps, signedIn(mintingRequester, deps.clock.now(), ['pwd']), { requestId: 'req_0000000001' })).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(deps.roleAssumer.calls).toHaveLength(0);
    expect(deps.log.events).toHaveLength(events);
  });

  it('mints on a fresh MFA sign-in', async () => {
    const deps = mintingWorld();

    await expect(issueCredentials(deps, signedIn(mintingRequester, deps.clock.now(), ['pwd', 'mfa']), { requestId: 'req_0000000001' })).resolves.toBeDefined();
    expect(deps.roleAssumer.calls).toHaveLength(1);
  });
});

describe('auth_time and amr from the claims API Gateway hands on', () => {
  const base = { sub: 'bob', tenant: 'acme', roles: '[approver]' };

  it('reads auth_time (seconds, as text) and amr (a bracketed list)', () => {
    expect(principalFromClaims({ ...base, auth_time: '1893488400', amr: '[pwd mfa]' }, defaultClaimNames, 'rendered').authentication).toEqual({ time: new Date(1893488400 * 1000), methods: ['pwd', 'mfa'] });
  });

  it('reads amr as the token has it (an array), and a malformed amr as no methods, never a refusal', () => {
    const token = { sub: 'bob', tenant: 'acme', roles: ['approver'], auth_time: 1893488400 };
    expect(principalFromClaims({ ...token, amr: ['pwd', 'mfa'] }).authentication).toEqual({ time: new Date(1893488400 * 1000), methods: ['pwd', 'mfa'] });
    expect(principalFromClaims({ ...token, amr: ['pwd mfa'] }).authentication).toEqual({ time: new Date(1893488400 * 1000), methods: [] });
  });

  it.each([
    ['absent', {}],
    ['not a number', { auth_time: 'yesterday' }],
    ['negative', { auth_time: '-5' }],
    ['fractional', { auth_time: '1893488400.5' }],
  ])('treats an auth_time %s as no auth_time', (_what, claims) => {
    expect(principalFromClaims({ ...base, ...claims }, defaultClaimNames, 'rendered').authentication?.time).toBeUndefined();
  });
});
