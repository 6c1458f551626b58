import type { JWTPayload } from 'jose';

// How an HTTP API JWT authorizer hands claims to a payload v2.0 integration:
// `requestContext.authorizer.jwt.claims` is a map of STRINGS, whatever the
// JSON type in the token. Observed behaviour, not in the API Gateway docs:
//  - arrays are rendered Go-style, elements space-separated in brackets:
//    ["Admin","Merchant"] → "[Admin Merchant]"
//    (aws/aws-lambda-go#591, 2025; aws-solutions-library-samples/
//    guidance-for-claude-code-with-amazon-bedrock#803, 2026, which parses
//    "[id1 id2 id3]" from a real HTTP API);
//  - objects are rendered Go-style too: {"key":"value"} → "map[key:value]"
//    (aws/aws-lambda-go#570, 2024);
//  - numbers and booleans become their literal text: exp → "1718000000",
//    email_verified → "true" (aws-lambda-go types claims as map[string]string;
//    the one-off 2020 regression that sent raw numbers, aws/aws-lambda-go#294,
//    was rolled back by the service team).
// Go's fmt sorts map keys and prints nil as "<nil>"; we follow that for the
// unobserved cases so the rendering is at least consistent.
// Emulating this locally is the point: a handler that reads `roles` as a JSON
// array works against a naive emulator and fails in AWS.

export function apiGatewayClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(apiGatewayClaimValue).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${apiGatewayClaimValue(v)}`).join(' ')}]`;
}

export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, apiGatewayClaimValue(value)]));
}

/**
 * `jwt.scopes`: the token's `scope` (space-separated, RFC 6749 §3.3) or `scp`
 * claim split into a list, and null, not [], when the token has neither
 * (observed; see KensioSoftware/yulin#302).
 */
export function apiGatewayScopes(payload: JWTPayload): string[] | null {
  const raw = payload.scope ?? payload.scp;
  if (raw === undefined) return null;
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(' ');
  const scopes = list.filter((s) => s !== '');
  return scopes.length > 0 ? scopes : null;
}
