import { mintingKeys } from './keys-minting.ts';

// Keys of the integration items, built the way keys.ts builds the others.
//
// Main table access patterns:
// | pattern                                  | key                                                   |
// | integration by id / a tenant's, by id    | PK T#tenant, SK INTEGRATION#id (begins_with)          |
// | who holds an external ID (uniqueness)    | PK EXTID#externalId, SK EXTID                         |
//
// The integration item is the one minting reads (keys-minting.ts). The EXTID
// lookup item crosses tenants on purpose, like the SVCROLE identity item: it
// exists so that no two integrations, of any tenants, share an external ID. It
// is only ever written (a conditional Put), never read by a user request, so it
// cannot tell one tenant anything about another's IDs.

export const integrationKeys = {
  integration: mintingKeys.integration,
  integrationPrefix: mintingKeys.integrationPrefix,
  externalId: (externalId: string) => ({ PK: `EXTID#${externalId}`, SK: 'EXTID' }),
} as const;
