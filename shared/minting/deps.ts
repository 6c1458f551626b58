import type { Clock, Metrics } from '../kernel/ports.ts';
import type { RequestStore } from '../requests/index.ts';
import type { TargetStore } from '../targets/index.ts';
import type { DatabaseSessionTerminator, DbTokenSigner, IntegrationReader, IssuanceStore, RoleAssumer, SessionStarter } from './ports.ts';

/** What minting and ending sessions need, on top of the clock and the request and target stores. */
export type MintingDeps = { clock: Clock; targets: TargetStore; requests: RequestStore } & {
  integrations: IntegrationReader;
  roleAssumer: RoleAssumer;
  tokenSigner: DbTokenSigner;
  sessionStarter: SessionStarter;
  issuances: IssuanceStore;
  metrics: Metrics;
  databaseSessions: DatabaseSessionTerminator;
};
