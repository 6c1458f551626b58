import type { Clock, IdGenerator, RequestStore, ServiceStore, TargetStore } from '../ports.ts';

export type Deps = {
  clock: Clock;
  ids: IdGenerator;
  targets: TargetStore;
  requests: RequestStore;
  services: ServiceStore;
};
