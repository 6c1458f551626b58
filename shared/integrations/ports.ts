import type { LogEntry } from '../grant-log/index.ts';
import type { Integration } from './integration.ts';
import type { SessionTag } from '../iam/index.ts';
import type { ProbeResult } from './role-verification.ts';
import type { Page, PageRequest } from '../kernel/ports.ts';

// Ports of linking customer accounts. Minting reads integrations through a narrow
// IntegrationReader (minting/ports.ts) over this same registry and model.

export interface IntegrationRegistry {
  get(tenantId: string, integrationId: string): Promise<Integration | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<Integration>>;
  /**
   * Writes the integration, a lookup item that claims its external ID across
   * every tenant, and the log entry in one transaction. AlreadyExistsError if
   * the id is taken, ExternalIdTakenError if the external ID is.
   */
  create(integration: Integration, entry: LogEntry): Promise<void>;
  /** Conditional on `expectedVersion`; ConcurrentModificationError when someone else wrote first. */
  save(integration: Integration, expectedVersion: number, entry: LogEntry): Promise<void>;
}

export type ProbeRequest = {
  roleArn: string;
  /** Absent: the probe asks without one, as a confused deputy would. */
  externalId?: string;
  sessionName: string;
  sourceIdentity: string;
  tags: SessionTag[];
};

/**
 * One AssumeRole made only to learn whether STS allows it. Adapters drop the
 * credentials at once and send a deny-all session policy, so a probe session
 * could do nothing even if it leaked.
 */
export interface RoleProbe {
  /** AssumeRole as the broker, the principal customer trust policies name. */
  probe(request: ProbeRequest): Promise<ProbeResult>;
  /**
   * The same AssumeRole, external ID included, from a principal of the broker's account that is not
   * the broker role (the trust probe role): a trust policy that lets it in trusts more than Latchkey.
   */
  probeFromAnotherPrincipal(request: ProbeRequest): Promise<ProbeResult>;
}
