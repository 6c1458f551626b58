import type { IamPolicy } from './policy-document.ts';

// IAM counts policy size in characters, ignoring white space (IAM and STS quotas, IAM user guide).
export const TRUST_POLICY_LIMIT = 2048; // default; AWS can raise it to 4096 on request
export const ROLE_INLINE_POLICIES_LIMIT = 10_240; // all inline policies of a role together

export const iamSize = (policy: IamPolicy | undefined): number => (policy ? JSON.stringify(policy).replace(/\s/g, '').length : 0);

export type PolicySizes = {
  trustPolicy: { characters: number; limit: number };
  permissionPolicy: { characters: number; limit: number };
};

export function policySizes(trust: IamPolicy, permission: IamPolicy | undefined): PolicySizes {
  return {
    trustPolicy: { characters: iamSize(trust), limit: TRUST_POLICY_LIMIT },
    permissionPolicy: { characters: iamSize(permission), limit: ROLE_INLINE_POLICIES_LIMIT },
  };
}
