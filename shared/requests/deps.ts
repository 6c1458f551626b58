import type { Clock, IdGenerator, Metrics } from '../kernel/ports.ts';
import type { RequestStore } from './ports.ts';
import type { ServiceStore } from '../services/index.ts';
import type { TargetStore } from '../targets/index.ts';

export type Deps = {
  clock: Clock;
  ids: IdGenerator;
  targets: TargetStore;
  requests: RequestStore;
  services: ServiceStore;
  metrics: Metrics;
};
