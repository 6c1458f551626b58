/** The stored item minus the attributes that exist only to key and index it. */
export function withoutKeys<T>(item: Record<string, unknown>, keyAttributes: readonly string[]): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of keyAttributes) delete copy[k];
  return copy as T;
}

/** Asks a conditional write that can lose to say what won (Powertools Idempotency's `_putRecord`). */
export const returnWinner = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;
