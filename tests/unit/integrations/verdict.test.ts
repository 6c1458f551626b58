import { describe, expect, it } from 'vitest';
import { verdict, type ProbeResult, type ProbeResults } from '#shared/integrations/role-verification';
import { DENY_ALL_POLICY, refusedAction } from '#shared/adapters/aws/sts-role-probe';

const ACCOUNT = '111122223333';
const ctx = { roleArn: `arn:aws:iam::${ACCOUNT}:role/LatchkeyAccess`, accountId: ACCOUNT, brokerRoleArn: 'arn:aws:iam::999988887777:role/latchkey-prod-broker', at: '2030-01-01T00:00:00Z', by: 'erin' };
const assumed: ProbeResult = { outcome: 'assumed', assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/LatchkeyAccess/lk-verify` };
const denied = (action?: 'sts:AssumeRole' | 'sts:TagSession' | 'sts:SetSourceIdentity'): ProbeResult => (action ? { outcome: 'denied', action } : { outcome: 'denied' });
const ok = { withoutExternalId: denied('sts:AssumeRole'), wrongExternalId: denied('sts:AssumeRole'), fromAnotherPrincipal: denied('sts:AssumeRole') };
const outsiderDenied = { fromAnotherPrincipal: denied('sts:AssumeRole') };

describe('verdict on a role', () => {
  it.each<[string, ProbeResults, string | undefined, RegExp | undefined]>([
    ['installed as the setup says', { withExternalId: assumed, ...ok }, undefined, undefined],
    ['assumable without the external ID', { withExternalId: assumed, withoutExternalId: assumed, wrongExternalId: denied(), ...outsiderDenied }, 'external_id_not_enforced', /without its external ID.*StringEquals.*sts:ExternalId/],
    ['assumable with any external ID (StringLike *)', { withExternalId: assumed, withoutExternalId: denied(), wrongExternalId: assumed, ...outsiderDenied }, 'external_id_not_enforced', /confused-deputy/],
    ['unreachable but open to anyone is still refused for the open part', { withExternalId: denied('sts:TagSession'), withoutExternalId: assumed, wrongExternalId: assumed, ...outsiderDenied }, 'external_id_not_enforced', undefined],
    ['trusting another principal (or gone)', { withExternalId: denied('sts:AssumeRole'), ...ok }, 'not_assumable', /Principal is exactly \{"AWS": "arn:aws:iam::999988887777:role\/latchkey-prod-broker"\}/],
    ['refused without naming an action', { withExternalId: denied(), ...ok }, 'not_assumable', /could not assume/],
    ['lacking sts:TagSession', { withExternalId: denied('sts:TagSession'), withExternalIdWithoutTags: assumed, ...ok }, 'missing_tag_session', /add "sts:TagSession" to the Action list/],
    ['lacking both sts:TagSession and sts:SetSourceIdentity', { withExternalId: denied('sts:TagSession'), withExternalIdWithoutTags: denied('sts:SetSourceIdentity'), ...ok }, 'missing_tag_session', /"sts:TagSession" and "sts:SetSourceIdentity"/],
    ['lacking sts:SetSourceIdentity', { withExternalId: denied('sts:SetSourceIdentity'), ...ok }, 'missing_set_source_identity', /add "sts:SetSourceIdentity"/],
    ['answering with a throttle', { withExternalId: assumed, withoutExternalId: { outcome: 'error', awsCode: 'Throttling' }, wrongExternalId: denied(), ...outsiderDenied }, 'sts_error', /Throttling.*nothing was concluded/],
    ["trusting '*' (or the broker's whole account) with the external ID", { withExternalId: assumed, ...ok, fromAnotherPrincipal: assumed }, 'trust_too_broad', /other than Latchkey's broker role.*exactly \{"AWS": "arn:aws:iam::999988887777:role\/latchkey-prod-broker"\}/],
    ['broad trust even where the broker itself is refused', { withExternalId: denied('sts:TagSession'), withExternalIdWithoutTags: assumed, ...ok, fromAnotherPrincipal: assumed }, 'trust_too_broad', /"\*"/],
    ['the trust probe role not configured or not assumable', { withExternalId: assumed, ...ok, fromAnotherPrincipal: { outcome: 'error', awsCode: 'TrustProbeRole.AccessDenied' } }, 'sts_error', /TrustProbeRole\.AccessDenied/],
    ['in another account than the integration', { withExternalId: { outcome: 'assumed', assumedRoleArn: 'arn:aws:sts::444455556666:assumed-role/X/s' }, ...ok }, 'wrong_account', /not in account 111122223333/],
  ])('%s', (_what, results, reason, message) => {
    const v = verdict(results, ctx);
    expect(v.outcome).toBe(reason ? 'failed' : 'verified');
    expect(v.reason).toBe(reason);
    if (message) expect(v.message).toMatch(message);
    expect(v.checks.map((c) => c.expected)).toEqual([...(results.withExternalIdWithoutTags ? ['assumed', 'assumed'] : ['assumed']), 'denied', 'denied', 'denied']);
  });
});

describe('reading an STS refusal', () => {
  it.each([
    ['User: arn:aws:sts::1:assumed-role/b/s is not authorized to perform: sts:TagSession on resource: arn:aws:iam::2:role/r', 'sts:TagSession'],
    ['User: x is not authorized to perform: sts:SetSourceIdentity on resource: y', 'sts:SetSourceIdentity'],
    ['User: x is not authorized to perform: sts:AssumeRole on resource: y', 'sts:AssumeRole'],
    ['User: x is not authorized to perform: sts:Other on resource: y', undefined],
    ['Access denied', undefined],
    [undefined, undefined],
  ])('%s → %s', (message, action) => {
    expect(refusedAction(message)).toBe(action);
  });

  it('probes with a session policy that allows nothing', () => {
    expect(JSON.parse(DENY_ALL_POLICY)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
  });
});
