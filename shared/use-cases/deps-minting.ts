import type { DbTokenSigner, IntegrationStore, IssuanceStore, RoleAssumer, SessionStarter } from '../ports-minting.ts';
import type { Deps } from './deps.ts';

/** What minting and ending sessions need, on top of the clock and the request and target stores. */
export type MintingDeps = Pick<Deps, 'clock' | 'targets' | 'requests'> & {
  integrations: IntegrationStore;
  roleAssumer: RoleAssumer;
  tokenSigner: DbTokenSigner;
  sessionStarter: SessionStarter;
  issuances: IssuanceStore;
};
