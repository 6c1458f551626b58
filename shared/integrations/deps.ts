import type { Clock, IdGenerator } from '../kernel/ports.ts';
import type { TargetStore } from '../targets/index.ts';
import type { IntegrationRegistry, RoleProbe } from './ports.ts';

/** What linking customer accounts needs, on top of the clock, ids and the target store. */
export type IntegrationDeps = { clock: Clock; ids: IdGenerator; targets: TargetStore } & {
  integrations: IntegrationRegistry;
  roleProbe: RoleProbe;
  settings: {
    /** The principal customer trust policies name; the setup cannot be emitted without it. */
    brokerRoleArn?: string;
    /** Where the operator hosts the customer-role template (an Amazon S3 HTTPS prefix). */
    templateBaseUrl?: string;
  };
  /** Injected for tests; production uses newExternalId (160 bits from crypto.randomBytes). */
  newExternalId?: () => string;
};
