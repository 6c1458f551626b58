import { conditionsHold } from './policy-conditions.ts';
import { globMatches, type RequestContext } from './policy-match.ts';
import { statementsOf, type PolicyDocument, type PolicyPrincipal, type PolicyStatement } from './policy-schema.ts';

// A small IAM evaluator: explicit Deny wins, then any Allow, else the implicit
// deny. Enough of the grammar for trust policies, permission policies and
// session policies as Latchkey writes them; not a full IAM engine (no
// permission boundaries, SCPs or resource-policy/identity-policy interplay).

export type Decision = 'allow' | 'deny' | 'implicit-deny';

export interface EvaluationRequest {
  action: string;
  resource: string;
  context: RequestContext;
  /** Only for resource-based policies (trust policies): does a Principal element name the caller? */
  principalMatches?: (principal: PolicyPrincipal) => boolean;
}

const toList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function actionApplies(statement: PolicyStatement, request: EvaluationRequest): boolean {
  // Actions are case-insensitive and never contain policy variables.
  const matches = (patterns: string[]) => patterns.some((p) => globMatches(p, request.action, request.context, true));
  if (statement.NotAction !== undefined) return !matches(toList(statement.NotAction));
  return matches(toList(statement.Action));
}

function resourceApplies(statement: PolicyStatement, request: EvaluationRequest): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => globMatches(p, request.resource, request.context));
  if (statement.NotResource !== undefined) return !matches(toList(statement.NotResource));
  // Trust policies carry no Resource: the policy is attached to the resource.
  if (statement.Resource === undefined) return true;
  return matches(toList(statement.Resource));
}

function principalApplies(statement: PolicyStatement, request: EvaluationRequest): boolean {
  const { Principal, NotPrincipal } = statement;
  if (Principal === undefined && NotPrincipal === undefined) return request.principalMatches === undefined;
  if (!request.principalMatches) return false;
  if (Principal !== undefined) return request.principalMatches(Principal);
  return NotPrincipal !== undefined && !request.principalMatches(NotPrincipal);
}

export function statementApplies(statement: PolicyStatement, request: EvaluationRequest): boolean {
  return (
    actionApplies(statement, request) &&
    resourceApplies(statement, request) &&
    principalApplies(statement, request) &&
    conditionsHold(statement.Condition, request.context)
  );
}

export function evaluate(policies: readonly PolicyDocument[], request: EvaluationRequest): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      if (!statementApplies(statement, request)) continue;
      if (statement.Effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}
