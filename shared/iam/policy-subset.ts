// Proves that a session policy asks for nothing the role's permission policy
// does not already allow. STS intersects the two anyway, so an excess would not
// widen access; it means the grant cannot work (the customer's role lacks that
// database user or bastion), or that the two builders drifted apart. We want to
// know that before AssumeRole, by name, not as an RDS login failure later.
//
// Deliberately conservative: it answers "covered" only when it can show it,
// and otherwise names the excess. It reads Allow statements with Action and
// Resource (what Latchkey writes); a session Deny only narrows, so it is
// skipped; a permission statement without Resource covers nothing.

type Values = string | readonly string[];
type StatementLike = { Effect: string; Action?: Values; Resource?: Values; Condition?: Readonly<Record<string, Readonly<Record<string, Values>>>> };
export type PolicyLike = { Statement: readonly StatementLike[] };

/** One action on one resource the session policy allows and the permission policy does not (`why`: no statement, or only wider conditions). */
export type PolicyExcess = { action: string; resource: string; why: 'not_allowed' | 'condition_wider' };

const list = (v: Values | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/**
 * Does `pattern` (IAM wildcards `*` and `?`) match every string `value` can
 * stand for? `value`'s own wildcards are read as literals that only a `*` of
 * the pattern may absorb (a `?` absorbs one character, which a `*` need not be),
 * so `arn:…:dbuser:db-X/*` is never covered by a list of exact users.
 */
export function patternCovers(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const source = [...p].map((c) => (c === '*' ? '.*' : c === '?' ? '[^*]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(v);
}

/**
 * A session statement's conditions narrow a permission statement's when they
 * repeat each of its conditions (same operator and key) with a subset of its
 * values, or, for a negated operator, a superset. Conditions of the session
 * statement beyond those are ANDed on, so they only narrow.
 */
function narrows(session: StatementLike['Condition'], permission: StatementLike['Condition']): boolean {
  return Object.entries(permission ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, allowed]) => {
      const given = session?.[operator]?.[key];
      if (given === undefined) return false;
      const [small, large] = /Not/.test(operator) ? [list(allowed), list(given)] : [list(given), list(allowed)];
      return small.length > 0 && small.every((value) => large.includes(value));
    }),
  );
}

/** Every action+resource of `session` that `permission` does not allow; empty when the session policy is a subset. */
export function policyExcess(session: PolicyLike, permission: PolicyLike | undefined): PolicyExcess[] {
  const allows = (permission?.Statement ?? []).filter((s) => s.Effect === 'Allow');
  const excess: PolicyExcess[] = [];
  for (const statement of session.Statement.filter((s) => s.Effect === 'Allow')) {
    // Without Action or Resource (NotAction, NotResource) a statement asks for every action or resource.
    const resources = statement.Resource === undefined ? ['*'] : list(statement.Resource);
    for (const action of statement.Action === undefined ? ['*'] : list(statement.Action)) {
      for (const resource of resources) {
        const covering = allows.filter(
          (p) => list(p.Action).some((a) => patternCovers(a, action, true)) && list(p.Resource).some((r) => patternCovers(r, resource)),
        );
        if (covering.length === 0) excess.push({ action, resource, why: 'not_allowed' });
        else if (!covering.some((p) => narrows(statement.Condition, p.Condition))) excess.push({ action, resource, why: 'condition_wider' });
      }
    }
  }
  return excess;
}

export const isSubsetPolicy = (session: PolicyLike, permission: PolicyLike | undefined): boolean => policyExcess(session, permission).length === 0;
