import { mainKeys } from './keys.ts';

// Keys of the minting items, built the way keys.ts builds the others (it stays
// the one table of conventions; this file adds rows to it).
//
// Main table access patterns:
// | pattern                                  | key                                                   |
// | integration by id                        | PK T#tenant, SK INTEGRATION#id                        |
// | SSM sessions started for one request     | PK T#tenant, SK begins_with REQ#requestId#SSM#        |
//
// Session items sort under their request (`REQ#id` < `REQ#id#SSM#…`) and carry
// no GSI attributes, so the request indexes never see them; a future Query on
// `begins_with(SK, 'REQ#')` must filter on `entity = 'request'`. Request ids
// contain no `#`, so one request's prefix never matches another request.

export const mintingKeys = {
  integration: (tenantId: string, integrationId: string) => ({ PK: mainKeys.tenant(tenantId), SK: `INTEGRATION#${integrationId}` }),
  integrationPrefix: 'INTEGRATION#',
  ssmSession: (tenantId: string, requestId: string, sessionId: string) => ({ PK: mainKeys.tenant(tenantId), SK: `REQ#${requestId}#SSM#${sessionId}` }),
  ssmSessionPrefix: (requestId: string) => `REQ#${requestId}#SSM#`,
} as const;
