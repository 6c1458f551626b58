import { describe, expect, it } from 'vitest';
import { autoApprovalRule, canDecide, canRequest, canRevoke, canView, isNamedApprover, isRequester } from '#shared/requests/authorization';
import { canAdminister, type Principal } from '#shared/kernel/principal';
import { TARGET_ID, aPolicy, aService, aTarget, aUser } from '../../support/fakes/index.ts';
import { pendingRequest, requester } from './request-states.ts';

const openTarget = aTarget();
const narrowedTarget = aTarget({ policy: aPolicy({ requesters: { groups: ['oncall'], principals: ['zoe'] } }) });

describe('canRequest', () => {
  it.each<[string, Principal, typeof openTarget, string, boolean]>([
    ['a requester on a policy that names nobody', aUser('u1', ['requester']), openTarget, 'app_ro', true],
    ['a user without the requester role', aUser('u1', ['approver', 'admin', 'auditor']), openTarget, 'app_ro', false],
    ['a requester asking for a database user the target does not have', aUser('u1', ['requester']), openTarget, 'root', false],
    ['a requester in a named group', aUser('u1', ['requester'], { groups: ['oncall'] }), narrowedTarget, 'app_ro', true],
    ['a requester named by id', aUser('zoe', ['requester']), narrowedTarget, 'app_rw', true],
    ['a requester neither in a named group nor named', aUser('u1', ['requester'], { groups: ['sales'] }), narrowedTarget, 'app_ro', false],
    ['a service within its registered scope', aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }]), openTarget, 'app_ro', true],
    ['a service asking for a database user outside its scope', aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }]), openTarget, 'app_rw', false],
    ['a service asking for a target outside its scope', aService('etl', [{ targetId: 'tgt_0000000999', databaseUsers: ['app_ro'] }]), openTarget, 'app_ro', false],
    ['a service without any scope', aService('etl', [], { scope: undefined }), openTarget, 'app_ro', false],
    // Services are limited by their registration, not by the policy's requester list (which names people).
    ['a service in scope on a narrowed policy', aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }]), narrowedTarget, 'app_ro', true],
  ])('%s → %s', (_case, principal, target, databaseUser, expected) => {
    expect(canRequest(principal, target, databaseUser)).toBe(expected);
  });
});

describe('isNamedApprover', () => {
  const policy = aPolicy({ approvers: { groups: ['dba'], principals: ['olga'] } });

  it.each<[string, Principal, boolean]>([
    ['an approver in a named group', aUser('u1', ['approver'], { groups: ['dba'] }), true],
    ['an approver named by id', aUser('olga', ['approver']), true],
    ['an approver not named', aUser('u1', ['approver'], { groups: ['sales'] }), false],
    ['a named user without the approver role', aUser('olga', ['requester', 'admin'], { groups: ['dba'] }), false],
    ['a service, even one whose id is named', aService('olga', [], { id: 'olga', roles: ['approver'], groups: ['dba'] }), false],
  ])('%s → %s', (_case, principal, expected) => {
    expect(isNamedApprover(principal, policy)).toBe(expected);
  });
});

describe('canDecide', () => {
  const policy = aPolicy();
  const request = pendingRequest();

  it('lets a named approver decide someone else’s request', () => {
    expect(canDecide(aUser('bob', ['approver'], { groups: ['dba'] }), request, policy)).toBe(true);
  });

  it('refuses the requester, even when they are a named approver', () => {
    const selfApprover = aUser(requester.id, ['requester', 'approver'], { groups: ['dba'] });

    expect(isNamedApprover(selfApprover, policy)).toBe(true);
    expect(canDecide(selfApprover, request, policy)).toBe(false);
  });

  it('refuses an admin who is not a named approver', () => {
    expect(canDecide(aUser('root', ['admin', 'approver']), request, policy)).toBe(false);
  });
});

describe('canRevoke', () => {
  const policy = aPolicy();

  it.each<[string, Principal, boolean]>([
    ['a tenant admin', aUser('a', ['admin']), true],
    ['a named approver', aUser('b', ['approver'], { groups: ['dba'] }), true],
    ['an approver not named', aUser('c', ['approver']), false],
    ['an auditor', aUser('d', ['auditor']), false],
    ['a requester', aUser('e', ['requester']), false],
    ['a service', aService('etl', []), false],
  ])('%s → %s', (_case, principal, expected) => {
    expect(canRevoke(principal, policy)).toBe(expected);
  });
});

describe('canView', () => {
  const policy = aPolicy();
  const request = pendingRequest();

  it.each<[string, Principal, boolean]>([
    ['the requester', requester, true],
    ['a tenant admin', aUser('a', ['admin']), true],
    ['an auditor', aUser('d', ['auditor']), true],
    ['a named approver', aUser('b', ['approver'], { groups: ['dba'] }), true],
    ['an approver not named', aUser('c', ['approver']), false],
    ['another requester', aUser('x', ['requester']), false],
    ['a service that is not the requester', aService('etl', [], { roles: ['requester', 'auditor'] }), false],
  ])('%s → %s', (_case, principal, expected) => {
    expect(canView(principal, request, policy)).toBe(expected);
  });
});

describe('isRequester', () => {
  const service = aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }]);
  const serviceRequest = { requesterId: service.id, requesterKind: 'service' as const };

  it.each<[string, Principal, boolean]>([
    ['the service that asked', service, true],
    // A person's id is whatever sub the IdP issued; spelling a service's role ARN does not make them it.
    ['a person whose sub spells the service’s role ARN', aUser(service.id, ['requester', 'auditor']), false],
    ['another service', aService('other', []), false],
  ])('%s → %s', (_case, principal, expected) => {
    expect(isRequester(principal, serviceRequest)).toBe(expected);
  });

  it('does not let a person whose sub spells the service’s ARN view its request as requester', () => {
    const request = { ...pendingRequest(), ...serviceRequest };
    expect(canView(aUser(service.id, ['requester']), request, aPolicy())).toBe(false);
  });
});

describe('canAdminister', () => {
  it('holds only for users with the admin role', () => {
    expect(canAdminister(aUser('a', ['admin']))).toBe(true);
    expect(canAdminister(aUser('a', ['approver', 'auditor', 'requester']))).toBe(false);
    expect(canAdminister(aService('etl', [], { roles: ['admin'] }))).toBe(false);
  });
});

describe('autoApprovalRule', () => {
  const target = aTarget({
    policy: aPolicy({
      autoApprove: [
        { databaseUser: 'app_ro', groups: ['oncall'], principals: [] },
        { databaseUser: 'app_rw', groups: [], principals: ['zoe'] },
      ],
    }),
  });

  it.each<[string, Principal, string, string | undefined]>([
    ['a requester in the rule’s group, for its database user', aUser('u1', ['requester'], { groups: ['oncall'] }), 'app_ro', 'policy.autoApprove[0]'],
    ['a requester in the rule’s group, for another database user', aUser('u1', ['requester'], { groups: ['oncall'] }), 'app_rw', undefined],
    ['a requester named by the second rule', aUser('zoe', ['requester']), 'app_rw', 'policy.autoApprove[1]'],
    ['a requester named by no rule', aUser('u2', ['requester'], { groups: ['sales'] }), 'app_ro', undefined],
    ['a service registered with autoApprove', aService('etl', [], { scope: { access: [], autoApprove: true } }), 'app_ro', 'service-registration'],
    ['a service registered without autoApprove', aService('etl', [], { scope: { access: [], autoApprove: false } }), 'app_ro', undefined],
    // A service's id can never match a policy rule: rules name people.
    ['a service whose id a rule names', aService('zoe', [], { id: 'zoe' }), 'app_rw', undefined],
  ])('%s → %s', (_case, principal, databaseUser, expected) => {
    expect(autoApprovalRule(principal, target, databaseUser)).toBe(expected);
  });
});
