/** The stored item minus the attributes that exist only to key and index it. */
export function withoutKeys<T>(item: Record<string, unknown>, keyAttributes: readonly string[]): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of keyAttributes) delete copy[k];
  return copy as T;
}
