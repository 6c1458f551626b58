import type { Verification, VerificationCheck, VerificationFailure } from './integration.ts';

// Judging a customer's role from what STS answered to a handful of probes,
// each made the way issuance calls AssumeRole (session tags and a
// SourceIdentity; the broker's own IAM policy requires the latter):
//   with the external ID                      → must be assumed
//   with it, without tags (only on a TagSession refusal, to name every missing action)
//   without an external ID                    → must be refused with AccessDenied
//   with a wrong, random external ID          → must be refused with AccessDenied
//   with it, from another principal of the broker's account (the trust probe role)
//                                             → must be refused: a trust policy whose Principal is "*"
//                                               or the broker's whole account lets in anyone (anything
//                                               in that account) who learns the external ID
// A role that any negative probe can assume is refused whatever else holds
// (invariant 7: otherwise any Latchkey tenant could name it — the confused deputy).

export type ProbeResult =
  | { outcome: 'assumed'; assumedRoleArn: string }
  /** `action`: what STS said the caller may not perform, when its refusal named one of ours. */
  | { outcome: 'denied'; action?: 'sts:AssumeRole' | 'sts:TagSession' | 'sts:SetSourceIdentity' }
  | { outcome: 'error'; awsCode: string };

export type ProbeResults = {
  withExternalId: ProbeResult;
  withExternalIdWithoutTags?: ProbeResult;
  withoutExternalId: ProbeResult;
  wrongExternalId: ProbeResult;
  fromAnotherPrincipal: ProbeResult;
};

const check = (probe: VerificationCheck['probe'], expected: VerificationCheck['expected'], result: ProbeResult): VerificationCheck => ({
  probe,
  expected,
  observed: result.outcome,
  ...(result.outcome === 'denied' && result.action ? { detail: result.action } : {}),
  ...(result.outcome === 'error' ? { detail: result.awsCode } : {}),
});

const roleAccount = (arn: string) => /^arn:aws[a-z-]*:(?:sts|iam)::(\d{12}):/.exec(arn)?.[1];

export type VerdictContext = { roleArn: string; accountId: string; brokerRoleArn?: string; at: string; by: string };

export function verdict(results: ProbeResults, ctx: VerdictContext): Verification {
  const checks = [
    check('with-external-id', 'assumed', results.withExternalId),
    ...(results.withExternalIdWithoutTags ? [check('with-external-id-without-tags', 'assumed', results.withExternalIdWithoutTags)] : []),
    check('without-external-id', 'denied', results.withoutExternalId),
    check('wrong-external-id', 'denied', results.wrongExternalId),
    check('from-another-principal', 'denied', results.fromAnotherPrincipal),
  ];
  const failure = diagnose(results, ctx);
  const base = { at: ctx.at, by: ctx.by, roleArn: ctx.roleArn, checks };
  return failure ? { ...base, outcome: 'failed', reason: failure.reason, message: failure.message } : { ...base, outcome: 'verified' };
}

function diagnose(results: ProbeResults, ctx: VerdictContext): { reason: VerificationFailure; message: string } | undefined {
  const principal = ctx.brokerRoleArn ? `{"AWS": "${ctx.brokerRoleArn}"}` : "Latchkey's broker role ARN (shown in the setup)";
  const negatives = [results.withoutExternalId, results.wrongExternalId];
  if (negatives.some((r) => r.outcome === 'assumed')) {
    return {
      reason: 'external_id_not_enforced',
      message:
        'Refused: Latchkey could assume this role without its external ID (or with a wrong one), so any other Latchkey customer could name it too (the confused-deputy problem). ' +
        'Give every trust-policy statement that allows Latchkey the condition "Condition": {"StringEquals": {"sts:ExternalId": "<the external ID in the setup>"}}, ' +
        'remove any statement that allows sts:AssumeRole, sts:TagSession or sts:SetSourceIdentity to Latchkey without it, then verify again.',
    };
  }
  if (results.fromAnotherPrincipal.outcome === 'assumed') {
    return {
      reason: 'trust_too_broad',
      message:
        "Refused: a principal other than Latchkey's broker role assumed this role with its external ID, so the trust policy trusts more than Latchkey " +
        `(a Principal of "*", or the broker's whole account as "arn:aws:iam::ACCOUNT:root"): whoever learns the external ID could use the role. ` +
        `Make the Principal of every statement that allows sts:AssumeRole, sts:TagSession or sts:SetSourceIdentity exactly ${principal}, then verify again.`,
    };
  }
  const errored = [results.withExternalId, results.withExternalIdWithoutTags, ...negatives, results.fromAnotherPrincipal].find((r) => r?.outcome === 'error');
  if (errored?.outcome === 'error') {
    return { reason: 'sts_error', message: `STS answered ${errored.awsCode} while Latchkey verified the role, so nothing was concluded; verify again.` };
  }
  const positive = results.withExternalId;
  if (positive.outcome === 'assumed') {
    return roleAccount(positive.assumedRoleArn) === ctx.accountId
      ? undefined
      : { reason: 'wrong_account', message: `The role assumed is not in account ${ctx.accountId}, the account of this integration.` };
  }
  if (positive.outcome === 'denied' && positive.action === 'sts:TagSession') {
    const alsoSourceIdentity = results.withExternalIdWithoutTags?.outcome === 'denied' && results.withExternalIdWithoutTags.action === 'sts:SetSourceIdentity';
    return {
      reason: 'missing_tag_session',
      message: `The trust policy does not allow sts:TagSession${alsoSourceIdentity ? ' nor sts:SetSourceIdentity' : ''} for Latchkey: add "sts:TagSession"${alsoSourceIdentity ? ' and "sts:SetSourceIdentity"' : ''} to the Action list of the statement that trusts ${principal}, then verify again.`,
    };
  }
  if (positive.outcome === 'denied' && positive.action === 'sts:SetSourceIdentity') {
    return {
      reason: 'missing_set_source_identity',
      message: `The trust policy does not allow sts:SetSourceIdentity for Latchkey (every session carries the requester as its SourceIdentity): add "sts:SetSourceIdentity" to the Action list of the statement that trusts ${principal}, then verify again.`,
    };
  }
  return {
    reason: 'not_assumable',
    message:
      `Latchkey could not assume ${ctx.roleArn} with its external ID. Check that the role exists in account ${ctx.accountId}, that its trust policy's Principal is exactly ${principal}, ` +
      'that its Condition is StringEquals sts:ExternalId = the external ID in the setup, and that its Action list holds sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity; then verify again.',
  };
}
