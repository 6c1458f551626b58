import type { IamPolicy } from './policy-document.ts';

/** The actions issuance uses: AssumeRole with session tags and a SourceIdentity. */
export const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] as const;

/**
 * Exactly one statement: the broker role, the three actions, and the external
 * ID as a StringEquals condition. With one statement every action carries the
 * condition, so none of them is allowed without the ID.
 */
export function trustPolicy(brokerRoleArn: string, externalId: string): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LatchkeyBroker',
        Effect: 'Allow',
        Principal: { AWS: brokerRoleArn },
        Action: [...TRUST_ACTIONS],
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}
