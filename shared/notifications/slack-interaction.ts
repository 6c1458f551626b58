import * as z from 'zod';
import type { LogEntry } from '../grant-log/index.ts';
import { LatchkeyError } from '../kernel/errors.ts';
import { idSchema } from '../kernel/schemas.ts';
import type { Principal } from '../kernel/principal.ts';
import { noTenantScope, type Clock, type TenantScope } from '../kernel/ports.ts';
import { approveRequest, denyRequest, type Deps as RequestDeps } from '../requests/index.ts';
import type { Target } from '../targets/index.ts';
import { SlackSignatureError } from './errors.ts';
import { requestConsoleLink, SlackAction, type Links } from './messages.ts';
import type { ContactStore, InteractionGuard, NotificationSecrets, NotificationSettingsStore, SlackApi } from './ports.ts';
import { signatureDigest, slackTimestampWindowSeconds, verifySlackSignature, type SignedRequest } from './slack-signature.ts';

/**
 * Step-up for approving (docs/policy-rules.md) asks for a recent sign-in and/or MFA, which the API reads from the
 * token's `auth_time` and `amr`. A Slack click carries neither, so where the target's policy has `stepUp.approve`
 * the click can never meet it: the approver is told how to approve with a fresh sign-in instead, or undefined
 * when the policy asks for no step-up.
 */
export function stepUpInstruction(target: Target, requestId: string, links: Links): string | undefined {
  if (!target.policy.stepUp?.approve) return undefined;
  const console = requestConsoleLink(links, { requestId });
  return `This approval needs a fresh sign-in, which a Slack click cannot show. Run \`latchkey approve ${requestId}\` (it signs you in again)${console ? `, or approve at ${console}` : ''}.`;
}

export type InteractionDeps = {
  clock: Clock;
  secrets: Pick<NotificationSecrets, 'slackSigningSecret'>;
  guard: InteractionGuard;
  settings: Pick<NotificationSettingsStore, 'tenantOfTeam'>;
  contacts: Pick<ContactStore, 'bySlackUser' | 'confirmSlack'>;
  slack: Pick<SlackApi, 'postEphemeral'>;
  /** The same use cases and collaborators as POST /requests/{id}/approve and /deny. */
  decisions: Pick<RequestDeps, 'clock' | 'targets' | 'requests' | 'metrics'>;
  /** Writes one event to the tenant's grant log (a refused click is the tenant's to audit). */
  audit: { record(entry: LogEntry): Promise<void> };
  /** The console's address for the step-up instruction, when there is one. */
  links: Links;
  /** Runs everything after the workspace named the tenant as that tenant (docs/tenant-isolation.md). */
  asTenant?: TenantScope;
};

const payloadSchema = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id: z.string().regex(/^T[A-Z0-9]{2,20}$/) }),
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,20}$/) }),
  channel: z.object({ id: z.string().max(40) }).optional(),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).min(1).max(5),
});
type Payload = z.infer<typeof payloadSchema>;

export type InteractionResult =
  | { outcome: 'refused'; reason: string }
  | { outcome: 'approved' | 'denied'; requestId: string; status: string }
  | { outcome: 'linked'; principalId: string };

/**
 * One POST from Slack's interactivity:
 * 1. the v0 signature over the raw body, the five-minute window and a first use of that signature, before anything
 *    is read from the body (each refusal leaves one operator trace and reaches no tenant);
 * 2. the workspace names the tenant; the Slack user must be a confirmed contact of that tenant (the principal);
 * 3. Approve and Deny run the API's own use cases as that principal: never the requester, only named approvers,
 *    quorum; an approval the policy's step-up covers is refused (a click shows no fresh sign-in); a refusal is told to the user (ephemeral) and logged once in the tenant's log;
 * 4. Confirm completes a Slack link a person asked for with PUT /me/contact.
 */
export async function handleSlackInteraction(deps: InteractionDeps, request: SignedRequest): Promise<InteractionResult> {
  const now = deps.clock.now();
  const verdict = verifySlackSignature(await deps.secrets.slackSigningSecret(), request, now);
  if (verdict !== 'ok') {
    await deps.guard.recordUnverified({ reason: verdict, at: now.toISOString() });
    throw new SlackSignatureError(verdict);
  }
  const digest = signatureDigest(request.signature ?? '');
  if (!(await deps.guard.firstUse(digest, new Date(now.getTime() + 2 * slackTimestampWindowSeconds * 1000)))) {
    await deps.guard.recordUnverified({ reason: 'replayed', at: now.toISOString(), signatureDigest: digest });
    throw new SlackSignatureError('replayed');
  }
  const payload = parsePayload(request.rawBody);
  if (!payload) {
    await deps.guard.recordUnverified({ reason: 'malformed', at: now.toISOString(), signatureDigest: digest });
    return { outcome: 'refused', reason: 'malformed' };
  }
  const tenantId = await deps.settings.tenantOfTeam(payload.team.id);
  // A workspace no tenant claimed: nobody's log to write to.
  if (!tenantId) {
    await deps.guard.recordUnverified({ reason: 'malformed', at: now.toISOString(), signatureDigest: digest });
    return { outcome: 'refused', reason: 'unknown_workspace' };
  }
  return (deps.asTenant ?? noTenantScope)(tenantId, () => act(deps, tenantId, payload));
}

/** Steps 3 and 4, as the workspace's tenant. */
async function act(deps: InteractionDeps, tenantId: string, payload: Payload): Promise<InteractionResult> {
  const now = deps.clock.now();
  const action = payload.actions[0]!;
  if (action.action_id === SlackAction.confirmLink) return confirmLink(deps, tenantId, payload, action.value ?? '');
  if (action.action_id !== SlackAction.approve && action.action_id !== SlackAction.deny) return { outcome: 'refused', reason: 'unknown_action' };

  const requestId = action.value ?? '';
  const contact = await deps.contacts.bySlackUser(tenantId, payload.user.id);
  const principal = contact && Date.parse(contact.expiresAt) > now.getTime() ? contact.principal : undefined;
  if (!principal) return refuse(deps, tenantId, payload, requestId, undefined, 'not_linked', 'Link your Slack account to Latchkey first: `latchkey link slack <your Slack member id>`.');

  if (action.action_id === SlackAction.approve) {
    const target = await targetOf(deps, tenantId, requestId);
    const instruction = target && stepUpInstruction(target, requestId, deps.links);
    if (instruction) return refuse(deps, tenantId, payload, requestId, principal, 'step_up_required', instruction);
  }
  try {
    const input = { requestId, note: 'via Slack' };
    const decided = action.action_id === SlackAction.approve ? await approveRequest(deps.decisions, principal, input) : await denyRequest(deps.decisions, principal, input);
    return { outcome: action.action_id === SlackAction.approve ? 'approved' : 'denied', requestId, status: decided.status };
  } catch (error) {
    if (!(error instanceof LatchkeyError)) throw error;
    return refuse(deps, tenantId, payload, requestId, principal, error.code, error.message);
  }
}

/** A button's value is only Slack's word for it: never read from the store unless it is shaped like an id. */
const isRequestId = (value: string) => value.startsWith('req_') && idSchema.safeParse(value).success;

function parsePayload(rawBody: string): Payload | undefined {
  try {
    const raw = new URLSearchParams(rawBody).get('payload');
    const parsed = raw ? payloadSchema.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function targetOf(deps: InteractionDeps, tenantId: string, requestId: string): Promise<Target | undefined> {
  const request = isRequestId(requestId) ? await deps.decisions.requests.get(tenantId, requestId) : undefined;
  return request && deps.decisions.targets.get(tenantId, request.targetId);
}

async function confirmLink(deps: InteractionDeps, tenantId: string, payload: Payload, value: string): Promise<InteractionResult> {
  // `<nonce> <principal id>` (messages.ts): the nonce has no spaces, an id might.
  const cut = value.indexOf(' ');
  const nonce = value.slice(0, Math.max(cut, 0));
  const principalId = value.slice(cut + 1);
  const ok = cut > 0 && principalId ? await deps.contacts.confirmSlack(tenantId, principalId, nonce, payload.user.id, deps.clock.now().toISOString()) : false;
  if (!ok) return refuse(deps, tenantId, payload, '', undefined, 'link_not_pending', 'This confirmation is no longer valid; link again from Latchkey.');
  if (payload.channel) await deps.slack.postEphemeral(payload.channel.id, payload.user.id, `Linked: your clicks in Slack now act as ${principalId}.`);
  return { outcome: 'linked', principalId };
}

/** One trace in the tenant's grant log and a word to the clicker; nothing else changes. */
async function refuse(deps: InteractionDeps, tenantId: string, payload: Payload, requestId: string, principal: Principal | undefined, reason: string, message: string): Promise<InteractionResult> {
  const request = isRequestId(requestId) ? await deps.decisions.requests.get(tenantId, requestId) : undefined;
  await deps.audit.record({
    tenantId,
    at: deps.clock.now().toISOString(),
    action: 'slack.action_refused',
    actorId: principal?.id ?? `slack:${payload.user.id}`,
    actorKind: 'user',
    outcome: 'failure',
    ...(request ? { requestId: request.requestId, targetId: request.targetId, databaseUser: request.databaseUser, requesterId: request.requesterId } : {}),
    details: { reason, slackUserId: payload.user.id, slackTeamId: payload.team.id, slackAction: payload.actions[0]?.action_id ?? '' },
  });
  if (payload.channel) await deps.slack.postEphemeral(payload.channel.id, payload.user.id, message).catch(() => undefined);
  return { outcome: 'refused', reason };
}
