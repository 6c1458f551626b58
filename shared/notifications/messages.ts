import type { AccessRequest } from '../requests/index.ts';
import type { Target } from '../targets/index.ts';
import type { Email, SlackMessage } from './ports.ts';

// What people read: the request's Slack message (Block Kit), the requester's DMs and the emails. Pure; the
// request is always rendered from its current state, so an update is the same whatever event caused it.

export const SlackAction = { approve: 'latchkey.approve', deny: 'latchkey.deny', confirmLink: 'latchkey.link.confirm' } as const;

export type Links = { consoleUrl?: string };

const approvalsOf = (request: AccessRequest) => ('approvals' in request ? request.approvals.length : 0);

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function outcome(request: AccessRequest): string {
  switch (request.status) {
    case 'pending':
      return 'Waiting for approval';
    case 'approved':
      return request.breakGlass ? `Open by break-glass, without approval, until ${request.windowEnd}` : `Approved — open until ${request.windowEnd}`;
    case 'denied':
      return `Denied by ${escape(request.deniedBy)}${request.note ? `: ${escape(request.note)}` : ''}`;
    case 'cancelled':
      return 'Cancelled by the requester';
    case 'expired':
      return 'Expired: nobody decided in time';
    case 'revoked':
      return `Revoked by ${escape(request.revokedBy)}`;
    case 'ended':
      return 'Ended: the window is over';
  }
}

export function requestConsoleLink(links: Links, request: Pick<AccessRequest, 'requestId'>): string | undefined {
  return links.consoleUrl ? `${links.consoleUrl.replace(/\/$/, '')}/requests/${encodeURIComponent(request.requestId)}` : undefined;
}

/** A break-glass grant's review, or that it still needs one (`latchkey review`). */
function review(request: AccessRequest): string {
  const done = request.breakGlass?.review;
  return done ? `Reviewed by ${escape(done.reviewerId)}: ${done.outcome}` : `Needs review: \`latchkey review ${escape(request.requestId)} --ack|--escalate -n …\``;
}

/**
 * The channel message: who asks for what and why, quorum progress, and the buttons while it is pending.
 * A break-glass grant says so first, with its review, and never has buttons: it opened without approval.
 */
export function requestMessage(request: AccessRequest, target: Target, links: Links): SlackMessage {
  const approvals = `${approvalsOf(request)} of ${target.policy.approvalsRequired}`;
  const text = request.breakGlass
    ? `BREAK-GLASS: ${request.requesterId} opened ${request.databaseUser} on ${target.name} for ${request.durationMinutes} min without approval: ${outcome(request)}`
    : `${request.requesterId} asks for ${request.databaseUser} on ${target.name} for ${request.durationMinutes} min: ${outcome(request)}`;
  const link = requestConsoleLink(links, request);
  const blocks: unknown[] = [
    request.breakGlass
      ? { type: 'section', text: { type: 'mrkdwn', text: `:rotating_light: *Break-glass grant* \`${escape(request.requestId)}\` — opened without approval. ${review(request)}` } }
      : { type: 'section', text: { type: 'mrkdwn', text: `*Access request* \`${escape(request.requestId)}\`` } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Requester*\n${escape(request.requesterId)}` },
        { type: 'mrkdwn', text: `*Target*\n${escape(target.name)}` },
        { type: 'mrkdwn', text: `*Database user*\n${escape(request.databaseUser)}` },
        { type: 'mrkdwn', text: `*Duration*\n${request.durationMinutes} min` },
        { type: 'mrkdwn', text: `*Reason*\n${escape(request.reason ?? '—')}` },
        { type: 'mrkdwn', text: `*Approvals*\n${approvals}` },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `*${outcome(request)}*${link ? ` · <${link}|open in the console>` : ''}` }] },
  ];
  if (request.status === 'pending' && !request.breakGlass) {
    blocks.push({
      type: 'actions',
      block_id: 'latchkey.decision',
      elements: [
        { type: 'button', action_id: SlackAction.approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: request.requestId },
        { type: 'button', action_id: SlackAction.deny, text: { type: 'plain_text', text: 'Deny' }, style: 'danger', value: request.requestId },
      ],
    });
  }
  return { text, blocks };
}

/** The requester's DM once decided (or ended by someone else). */
export function decisionDm(request: AccessRequest, target: Target, links: Links): SlackMessage {
  const text = `Your request for ${request.databaseUser} on ${target.name} (${request.requestId}): ${outcome(request)}`;
  const link = requestConsoleLink(links, request);
  const connect = request.status === 'approved' ? `\nConnect: \`latchkey connect ${target.name} --user ${request.databaseUser}\`` : '';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${escape(text)}${connect}${link ? `\n<${link}|Open in the console>` : ''}` } }] };
}

export function endingSoonDm(request: AccessRequest & { status: 'approved' }, target: Target): SlackMessage {
  const text = `Your access to ${request.databaseUser} on ${target.name} ends at ${request.windowEnd}. Extend it with \`latchkey extend ${request.requestId} --for 30m\` if you still need it.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escape(text) } }] };
}

export function linkConfirmationDm(principalId: string, nonce: string): SlackMessage {
  const text = `Latchkey: confirm that this Slack account acts as ${principalId}. If you did not ask for this, ignore it.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: escape(text) } },
      { type: 'actions', elements: [{ type: 'button', action_id: SlackAction.confirmLink, text: { type: 'plain_text', text: 'Confirm' }, style: 'primary', value: `${nonce} ${principalId}` }] },
    ],
  };
}

/** To approvers: what to decide and the two ways to act. */
export function approverEmail(to: string[], request: AccessRequest, target: Target, links: Links): Email {
  const link = requestConsoleLink(links, request);
  return {
    to,
    subject: `[Latchkey] ${request.requesterId} asks for ${request.databaseUser} on ${target.name}`,
    text: [
      `${request.requesterId} asks for ${request.databaseUser} on ${target.name} for ${request.durationMinutes} minutes.`,
      `Reason: ${request.reason ?? '(none given)'}`,
      `Approvals: ${approvalsOf(request)} of ${target.policy.approvalsRequired}`,
      '',
      `Approve: latchkey approve ${request.requestId}`,
      `Deny:    latchkey deny ${request.requestId}`,
      ...(link ? [`Console: ${link}`] : []),
    ].join('\n'),
  };
}

/** To approvers and the security channel's people: a grant opened without them, and how to review it. */
export function breakGlassEmail(to: string[], request: AccessRequest, target: Target, links: Links): Email {
  const link = requestConsoleLink(links, request);
  return {
    to,
    subject: `[Latchkey] BREAK-GLASS: ${request.requesterId} opened ${request.databaseUser} on ${target.name}`,
    text: [
      `${request.requesterId} opened ${request.databaseUser} on ${target.name} for ${request.durationMinutes} minutes by break-glass, without approval.`,
      `Reason: ${request.reason ?? '(none given)'}`,
      `${outcome(request)}.`,
      '',
      `Review: latchkey review ${request.requestId} --ack|--escalate -n "<what you found>"`,
      `Revoke: latchkey revoke ${request.requestId}`,
      ...(link ? [`Console: ${link}`] : []),
    ].join('\n'),
  };
}

export function requesterEmail(to: string, request: AccessRequest, target: Target, links: Links): Email {
  const link = requestConsoleLink(links, request);
  return {
    to: [to],
    subject: `[Latchkey] Your request for ${request.databaseUser} on ${target.name}: ${request.status}`,
    text: [
      `${outcome(request)}.`,
      ...(request.status === 'approved' ? ['', `Connect: latchkey connect ${target.name} --user ${request.databaseUser}`] : []),
      ...(link ? [`Console: ${link}`] : []),
    ].join('\n'),
  };
}
