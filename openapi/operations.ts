import * as z from 'zod';
import { prose } from './prose.ts';
import type { ErrorCode } from '#shared/kernel/errors';
import { pageQuery } from '#shared/kernel/schemas';
import { principalSchema } from '#shared/kernel/responses';
import { policySchema, targetInputSchema } from '#shared/targets/target';
import { targetChangeBody, targetPath } from '#shared/targets/schemas';
import { targetPageSchema, targetSchema } from '#shared/targets/responses';
import { serviceInputSchema } from '#shared/services/service';
import { servicePageSchema, serviceSchema } from '#shared/services/responses';
import { createRequestBody, decisionBody, extendBody, listRequestsQuery, requestPath, reviewBody } from '#shared/requests/schemas';
import { accessRequestSchema, requestPageSchema, revokedGrantSchema } from '#shared/requests/responses';
import { issueCredentialsBody } from '#shared/minting/schemas';
import { issuedCredentialsSchema } from '#shared/minting/responses';
import { createIntegrationBody, integrationPath, registerRoleBody, setupQuery } from '#shared/integrations/schemas';
import { integrationPageSchema, integrationSchema, setupSchema, verifiedIntegrationSchema } from '#shared/integrations/responses';
import { accessSummaryQuery, exportEventsQuery, listEventsQuery, timelinePath, timelineQuery, verifyQuery } from '#shared/audit/schemas';
import { accessSummarySchema, digestPublicKeySchema, logEventPageSchema, signDigestResultSchema, verifyReportSchema } from '#shared/audit/responses';
import { contactBody, failuresQuery, settingsBody } from '#shared/notifications/schemas';
import { contactSchema, interactionResultSchema, notificationSettingsSchema, parkedPageSchema } from '#shared/notifications/responses';

// One entry per route of serverless.yml's HTTP API, keyed `METHOD /path` exactly as
// there: the function that serves it, the very zod schemas its handler validates
// with (tests/unit/openapi checks they are the same objects), what it answers on
// success, and the error codes it can answer (their statuses come from
// shared/http/error-mapper.ts). Security comes from serverless.yml: the `people`
// JWT authorizer is bearerAuth; a route also served on the REST API is sigv4 too.
// After changing this file or a schema it names: `npm run openapi`.

/** A success answer: a JSON body, or other content types (exports, setup files). */
export type Success = { status: 200 | 201; description: string } & (
  | { body: z.ZodType }
  | { content: Record<string, z.ZodType>; headers?: Record<string, { description: string }> }
);

export type Operation = {
  /** The serverless.yml function that serves the route. */
  fn: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  path?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  success: Success;
  /** The codes the use case can answer besides the edge's own (validation, body refusals, 401, 500), added by route shape. */
  errors: ErrorCode[];
  /** Honours an `Idempotency-Key` header (route({ idempotent: true }); shared/http/idempotency.ts). */
  idempotent?: true;
};

const reads: ErrorCode[] = ['forbidden', 'not_found'];
/** Every write is conditional on what it read: a lost race is a 409 `conflict`. */
const writes: ErrorCode[] = ['forbidden', 'not_found', 'conflict'];

const who = (text: string) => `**Who:** ${text}.`;

export const operations: Record<string, Operation> = {
  'GET /me': {
    fn: 'whoami',
    operationId: 'whoami',
    tag: 'identity',
    summary: 'The caller as Latchkey resolved it',
    description: `${who('anyone (people and services)')} People: from the JWT's \`sub\`, \`tenant\`, \`roles\` and \`groups\` claims. Services: the registered IAM role (any other role is refused with 403).`,
    success: { status: 200, description: 'The resolved principal.', body: principalSchema },
    errors: ['forbidden'],
  },
  'GET /openapi.json': {
    fn: 'openapi',
    operationId: 'getOpenApiDocument',
    tag: 'meta',
    summary: 'This document',
    description: 'Public: the OpenAPI 3.1 description of this API, generated from the zod schemas the handlers validate with and from the route table in serverless.yml.',
    success: { status: 200, description: 'The OpenAPI document.', body: z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document.' }) },
    errors: [],
  },

  'POST /targets': {
    fn: 'create-target',
    operationId: 'createTarget',
    tag: 'targets',
    summary: 'Register a database',
    description: `${who('admin')} Engine, endpoint, port, region, account, RDS resource id, database users, optional SSM bastion, the linked integration, and the access policy.`,
    body: targetInputSchema,
    success: { status: 201, description: 'The registered target.', body: targetSchema },
    errors: [...writes, 'already_exists', 'integration_not_verified'],
  },
  'GET /targets': {
    fn: 'list-targets',
    operationId: 'listTargets',
    tag: 'targets',
    summary: 'List targets',
    description: who('any role'),
    query: pageQuery,
    success: { status: 200, description: 'A page of targets.', body: targetPageSchema },
    errors: ['forbidden'],
  },
  'GET /targets/{targetId}': {
    fn: 'get-target',
    operationId: 'getTarget',
    tag: 'targets',
    summary: 'Read a target',
    description: who('any role'),
    path: targetPath,
    success: { status: 200, description: 'The target.', body: targetSchema },
    errors: reads,
  },
  'PUT /targets/{targetId}': {
    fn: 'change-target',
    operationId: 'changeTarget',
    tag: 'targets',
    summary: "Change a target's integration, endpoint, port, database users or bastion",
    description: `${who('admin')} ${prose('change-target')}`,
    path: targetPath,
    body: targetChangeBody,
    success: { status: 200, description: 'The target as stored: changed (version + 1, one `target.updated` event) or, for a change that changes nothing, as it was (no event).', body: targetSchema },
    errors: [...writes, 'target_change_breaks_open_grants'],
  },
  'PUT /targets/{targetId}/policy': {
    fn: 'put-policy',
    operationId: 'putPolicy',
    tag: 'targets',
    summary: "Replace a target's policy",
    description: `${who('admin')} Approvals recorded under the old policy stop counting: only approvals under the target's current version count toward the quorum.`,
    path: targetPath,
    body: policySchema,
    success: { status: 200, description: 'The target with its new policy.', body: targetSchema },
    errors: writes,
  },

  'POST /services': {
    fn: 'register-service',
    operationId: 'registerService',
    tag: 'services',
    summary: 'Register a third-party service',
    description: `${who('admin')} By IAM role ARN, with the targets and database users it may request and whether its requests are auto-approved. Calls signed (SigV4) by a session of that role then resolve to this service.`,
    body: serviceInputSchema,
    success: { status: 201, description: 'The registered service.', body: serviceSchema },
    errors: [...writes, 'already_exists'],
  },
  'GET /services': {
    fn: 'list-services',
    operationId: 'listServices',
    tag: 'services',
    summary: 'List services',
    description: who('admin'),
    query: pageQuery,
    success: { status: 200, description: 'A page of services.', body: servicePageSchema },
    errors: ['forbidden'],
  },

  'POST /requests': {
    fn: 'create-request',
    operationId: 'createRequest',
    tag: 'requests',
    summary: 'Request access to a database user',
    description: `${who('requester (people and services)')} Auto-approved when the target's policy (or a service's registration) says so; otherwise pending until the approvers decide or it expires. With \`breakGlass: true\`, a person the policy's break-glass rule names gets an approved grant at once (its shorter maximum, a reason always required, a daily cap per person: \`break_glass_limit\`), logged as \`request.break_glass_opened\` and listed as unreviewed until an approver reviews it. A policy's \`ticketPattern\` refuses a reason without a matching ticket reference (\`policy_violation\`) and keeps the match as \`ticket\`.`,
    body: createRequestBody,
    success: { status: 201, description: 'The new request.', body: accessRequestSchema },
    errors: [...writes, 'policy_violation', 'break_glass_limit'],
    idempotent: true,
  },
  'GET /requests': {
    fn: 'list-requests',
    operationId: 'listRequests',
    tag: 'requests',
    summary: 'List requests',
    description: `${who('requester (`mine`), approver (`approvable`), admin or auditor (`tenant`); `unreviewed` (break-glass grants awaiting review): admins and auditors all, approvers those they can review')} Newest first, paged with an opaque cursor.`,
    query: listRequestsQuery,
    success: { status: 200, description: 'A page of requests.', body: requestPageSchema },
    errors: ['forbidden'],
  },
  'GET /requests/{requestId}': {
    fn: 'get-request',
    operationId: 'getRequest',
    tag: 'requests',
    summary: 'Read a request',
    description: `${who('the requester, approvers of the target, admins, auditors')} Anything of another tenant answers 404, as does a request the caller may not see.`,
    path: requestPath,
    success: { status: 200, description: 'The request.', body: accessRequestSchema },
    errors: ['not_found'],
  },
  'POST /requests/{requestId}/approve': {
    fn: 'approve-request',
    operationId: 'approveRequest',
    tag: 'requests',
    summary: 'Approve a request (or its pending extension)',
    description: `${who('a named approver, never the requester')} Each approver counts once toward the quorum, and only approvals under the target's current policy count (a policy change restarts it).`,
    path: requestPath,
    body: decisionBody,
    success: { status: 200, description: 'The request after the approval.', body: accessRequestSchema },
    errors: [...writes, 'already_decided', 'invalid_transition', 'step_up_required'],
    idempotent: true,
  },
  'POST /requests/{requestId}/review': {
    fn: 'review-request',
    operationId: 'reviewRequest',
    tag: 'requests',
    summary: 'Review a break-glass grant afterwards',
    description: `${who('a named approver of the target, never the person who opened the grant')} Once per grant, in any status after it opened: \`acknowledged\` or \`escalated\`, with a note; logged as \`request.break_glass_reviewed\`, and the grant leaves the \`unreviewed\` list.`,
    path: requestPath,
    body: reviewBody,
    success: { status: 200, description: 'The request with its review.', body: accessRequestSchema },
    errors: [...writes, 'invalid_transition'],
  },
  'POST /requests/{requestId}/deny': {
    fn: 'deny-request',
    operationId: 'denyRequest',
    tag: 'requests',
    summary: 'Deny a request (or its pending extension)',
    description: who('a named approver, never the requester'),
    path: requestPath,
    body: decisionBody,
    success: { status: 200, description: 'The request after the denial.', body: accessRequestSchema },
    errors: [...writes, 'invalid_transition'],
    idempotent: true,
  },
  'POST /requests/{requestId}/cancel': {
    fn: 'cancel-request',
    operationId: 'cancelRequest',
    tag: 'requests',
    summary: 'Cancel a pending request',
    description: who('the requester'),
    path: requestPath,
    success: { status: 200, description: 'The cancelled request.', body: accessRequestSchema },
    errors: [...writes, 'invalid_transition'],
    idempotent: true,
  },
  'POST /requests/{requestId}/revoke': {
    fn: 'revoke-request',
    operationId: 'revokeRequest',
    tag: 'requests',
    summary: 'End an approved grant now',
    description: `${who('a named approver or an admin')} Also terminates the grant's SSM sessions through the customer's role (logged as \`ssm.sessions_terminated\`) and, when the target's policy has \`sessions\`, its live database sessions (\`db.sessions_terminated\`, or \`db.sessions_termination_failed\` and retried by the sweeper; docs/database-sessions.md).`,
    path: requestPath,
    body: decisionBody,
    success: {
      status: 200,
      description: 'The revoked request and the SSM sessions it ended.',
      body: revokedGrantSchema,
    },
    errors: [...writes, 'invalid_transition'],
    idempotent: true,
  },
  'POST /requests/{requestId}/extend': {
    fn: 'extend-request',
    operationId: 'extendRequest',
    tag: 'requests',
    summary: 'Ask the approvers for more time',
    description: `${who('the requester')} A new decision, not an edit: the extension waits as \`pendingExtension\` until approved or denied.`,
    path: requestPath,
    body: extendBody,
    success: { status: 200, description: 'The request with its pending extension.', body: accessRequestSchema },
    errors: [...writes, 'invalid_transition', 'policy_violation'],
    idempotent: true,
  },
  'POST /requests/{requestId}/credentials': {
    fn: 'issue-credentials',
    operationId: 'issueCredentials',
    tag: 'credentials',
    summary: 'Mint credentials for an open grant',
    description: [
      `${who('the requester of an open grant (people and services) — nobody else')}`,
      "Issuance re-checks that the requester may still ask for that database user. One `AssumeRole` into the customer's role with the integration's external ID, `SourceIdentity` the requester, session tags, and a session policy allowing only `rds-db:connect` on the one database user (plus, with `ssm`, the port-forwarding session through the bastion), all ending with the window. The session policy must be a subset of the permission policy last handed to the customer (else 409 `grant_outside_setup`).",
      'The answer holds the 15-minute RDS IAM auth token, host, port, user, `sslmode=verify-full`, the RDS CA bundle URL and a client command that reads the token from `$LATCHKEY_DB_TOKEN` (never from argv); with `ssm`, the session and the `session-manager-plugin` invocation. Exactly one `credentials.issued` event is written per issuance; if it cannot be written, nothing is handed out (503, retrying is safe).',
    ].join('\n\n'),
    path: requestPath,
    body: issueCredentialsBody,
    success: { status: 201, description: 'The credentials (sent with cache-control no-store).', body: issuedCredentialsSchema },
    errors: [...reads, 'grant_not_active', 'integration_not_verified', 'no_bastion', 'grant_outside_setup', 'packed_policy_too_large', 'upstream_failed', 'issuance_not_recorded', 'conflict', 'step_up_required'],
  },

  'POST /integrations': {
    fn: 'create-integration',
    operationId: 'createIntegration',
    tag: 'integrations',
    summary: 'Link a customer AWS account',
    description: `${who('admin')} Latchkey generates the external ID; a body that supplies one is refused.`,
    body: createIntegrationBody,
    success: { status: 201, description: 'The new integration (status `pending`).', body: integrationSchema },
    errors: ['forbidden', 'conflict', 'already_exists'],
  },
  'GET /integrations': {
    fn: 'list-integrations',
    operationId: 'listIntegrations',
    tag: 'integrations',
    summary: 'List integrations',
    description: who('admin'),
    query: pageQuery,
    success: { status: 200, description: 'A page of integrations.', body: integrationPageSchema },
    errors: ['forbidden'],
  },
  'GET /integrations/{integrationId}': {
    fn: 'get-integration',
    operationId: 'getIntegration',
    tag: 'integrations',
    summary: 'Read an integration',
    description: who('admin'),
    path: integrationPath,
    success: { status: 200, description: 'The integration.', body: integrationSchema },
    errors: reads,
  },
  'GET /integrations/{integrationId}/setup': {
    fn: 'integration-setup',
    operationId: 'getIntegrationSetup',
    tag: 'integrations',
    summary: 'What the customer installs',
    description: `${who('admin')} Trust and permission policies, SQL, CloudFormation with a quick-create link, Terraform, and what changed since the last setup. \`format=json\` answers all of it; \`cloudformation\` the template, \`terraform\` and \`sql\` the one file to save. Fetching a changed setup makes it the new baseline.`,
    path: integrationPath,
    query: setupQuery,
    success: {
      status: 200,
      description: 'The setup (format=json) or the one file the format names.',
      content: {
        'application/json': z.union([
          setupSchema,
          z
            .object({ AWSTemplateFormatVersion: z.literal('2010-09-09'), Resources: z.record(z.string(), z.unknown()) })
            .loose()
            .meta({ id: 'CloudFormationTemplate', description: 'format=cloudformation: the customer-role template.' }),
        ]),
        'text/plain': z.string().meta({ description: 'format=terraform or format=sql.' }),
      },
      headers: { 'content-disposition': { description: 'attachment; filename=… for the file formats.' } },
    },
    errors: [...writes, 'not_configured', 'setup_too_large'],
  },
  'PUT /integrations/{integrationId}/role': {
    fn: 'register-integration-role',
    operationId: 'registerIntegrationRole',
    tag: 'integrations',
    summary: 'Register the role the customer created',
    description: `${who('admin')} The role ARN must be in the integration's account. The integration is \`pending\` again until verified.`,
    path: integrationPath,
    body: registerRoleBody,
    success: { status: 200, description: 'The integration with its role.', body: integrationSchema },
    errors: writes,
  },
  'POST /integrations/{integrationId}/verify': {
    fn: 'verify-integration',
    operationId: 'verifyIntegration',
    tag: 'integrations',
    summary: "Verify the customer's role",
    description: `${who('admin')} Assumes the role with the external ID (must succeed) and without / with a wrong one (must fail). 200 either way: \`verified\`, or \`failed\` with the reason and how to fix it.`,
    path: integrationPath,
    success: { status: 200, description: 'The integration and the verification.', body: verifiedIntegrationSchema },
    errors: [...writes, 'role_not_registered'],
  },

  'GET /audit/events': {
    fn: 'list-events',
    operationId: 'listEvents',
    tag: 'audit',
    summary: 'The grant log, filtered and paged',
    description: `${who('auditor, admin')} Every filter is a DynamoDB Query on an index built for it.`,
    query: listEventsQuery,
    success: { status: 200, description: 'A page of events.', body: logEventPageSchema },
    errors: ['forbidden'],
  },
  'GET /audit/events/export': {
    fn: 'export-events',
    operationId: 'exportEvents',
    tag: 'audit',
    summary: 'One page of the grant log as CSV or JSON Lines',
    description: `${who('auditor, admin')} Up to 1,000 lines per page; the next page's cursor is in \`x-next-cursor\`. JSON Lines of the whole log (no filter but time) is verifiable offline: after the events come the \`log.checkpoint\` events, then the signed digests of the range (\`latchkey audit verify --file\`).`,
    query: exportEventsQuery,
    success: {
      status: 200,
      description: 'CSV (format=csv) or JSON Lines (format=ndjson).',
      content: { 'text/csv': z.string(), 'application/x-ndjson': z.string() },
      headers: { 'x-next-cursor': { description: 'The next page\'s cursor; absent on the last page.' }, 'content-disposition': { description: 'attachment; filename="grant-log.csv" or "grant-log.jsonl".' } },
    },
    errors: ['forbidden'],
  },
  'GET /audit/requests/{requestId}/events': {
    fn: 'request-timeline',
    operationId: 'requestTimeline',
    tag: 'audit',
    summary: 'The timeline of one request',
    description: `${who('auditor, admin')} In seq order.`,
    path: timelinePath,
    query: timelineQuery,
    success: { status: 200, description: 'A page of events.', body: logEventPageSchema },
    errors: reads,
  },
  'GET /audit/verify': {
    fn: 'verify-log',
    operationId: 'verifyLog',
    tag: 'audit',
    summary: "Walk the tenant's hash chains",
    description: `${who('auditor, admin')} Names the first broken link (modified, deleted, inserted). A broken chain is a finding: 200 with \`ok: false\`.`,
    query: verifyQuery,
    success: { status: 200, description: 'The verification report.', body: verifyReportSchema },
    errors: ['forbidden'],
  },
  'POST /audit/digests': {
    fn: 'sign-digests',
    operationId: 'signDigest',
    tag: 'audit',
    summary: "Sign the tenant's chain heads now",
    description: `${who('auditor, admin')} Signs every chain head of the caller's tenant with the KMS digest key, linked to the previous digest (also done every 15 minutes for every tenant whose log moved). Nothing new since the newest digest: that one is returned, \`signed: false\`.`,
    success: { status: 200, description: 'The newest digest.', body: signDigestResultSchema },
    errors: ['forbidden'],
  },
  'GET /audit/public-key': {
    fn: 'audit-public-key',
    operationId: 'digestPublicKey',
    tag: 'audit',
    summary: 'The public key that verifies signed digests',
    description: `${who('auditor, admin')} PEM (SubjectPublicKeyInfo) and key id of the KMS digest key, for \`latchkey audit verify --file export.ndjson --public-key key.pem\`, which needs nothing else.`,
    success: { status: 200, description: 'The public key.', body: digestPublicKeySchema },
    errors: ['forbidden'],
  },
  'GET /audit/access-summary': {
    fn: 'access-summary',
    operationId: 'accessSummary',
    tag: 'audit',
    summary: 'Who has or had access to what',
    description: `${who('auditor, admin')} Grants open now, and over [from, to) who was granted or issued access to which database user.`,
    query: accessSummaryQuery,
    success: { status: 200, description: 'The summary.', body: accessSummarySchema },
    errors: ['forbidden'],
  },

  'GET /notifications/settings': {
    fn: 'notification-settings',
    operationId: 'getNotificationSettings',
    tag: 'notifications',
    summary: "The tenant's Slack workspace and webhooks",
    description: `${who('admin')} Each webhook with its signing secret (docs/notifications.md).`,
    success: { status: 200, description: 'The settings.', body: notificationSettingsSchema },
    errors: ['forbidden'],
  },
  'PUT /notifications/settings': {
    fn: 'put-notification-settings',
    operationId: 'putNotificationSettings',
    tag: 'notifications',
    summary: "Set the tenant's Slack workspace and webhooks",
    description: `${who('admin')} Written whole. A webhook listed with its \`webhookId\` keeps it (and its secret); one without gets a new id. Webhooks must be HTTPS. A Slack workspace serves one tenant: another tenant's answers 409.`,
    body: settingsBody,
    success: { status: 200, description: 'The settings now.', body: notificationSettingsSchema },
    errors: ['forbidden', 'conflict', 'already_exists'],
  },
  'GET /notifications/failures': {
    fn: 'notification-failures',
    operationId: 'listNotificationFailures',
    tag: 'notifications',
    summary: 'Deliveries that failed every attempt',
    description: `${who('admin')} Newest first. A parked delivery is not tried again; decisions never depended on it.`,
    query: failuresQuery,
    success: { status: 200, description: 'The parked deliveries.', body: parkedPageSchema },
    errors: ['forbidden'],
  },
  'GET /me/contact': {
    fn: 'get-contact',
    operationId: 'getContact',
    tag: 'notifications',
    summary: 'Where Latchkey reaches the caller, and their Slack link',
    success: { status: 200, description: 'The contact.', body: contactSchema },
    errors: ['not_found'],
  },
  'PUT /me/contact': {
    fn: 'put-contact',
    operationId: 'putContact',
    tag: 'notifications',
    summary: 'Set the email and Slack member id Latchkey reaches the caller at',
    description: `${who('people')} A Slack member id not yet confirmed gets a DM with a Confirm button; only after that click do the member's Slack clicks act as the caller, with the roles and groups of the token that made this call, for 30 days.`,
    body: contactBody,
    success: { status: 200, description: 'The contact now.', body: contactSchema },
    errors: ['forbidden'],
  },
  'POST /slack/interactions': {
    fn: 'slack-interactions',
    operationId: 'slackInteraction',
    tag: 'notifications',
    summary: "Slack's interactivity request URL (Approve, Deny, Confirm buttons)",
    description:
      "Public, called by Slack: the body is `application/x-www-form-urlencoded` with a `payload` field (Slack's `block_actions`), and `X-Slack-Signature` / `X-Slack-Request-Timestamp` must carry Slack's v0 signature from the last five minutes, used once. Anything else answers 401 before the body is read.",
    success: { status: 200, description: 'What became of the click (Slack ignores the body).', body: interactionResultSchema },
    errors: ['slack_signature_invalid', 'payload_too_large'],
  },
};
