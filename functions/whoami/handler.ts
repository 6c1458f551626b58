import { route } from '#shared/wiring/index';

export const handler = route({}, async ({ principal }) => ({
  status: 200,
  body: { id: principal.id, kind: principal.kind, tenantId: principal.tenantId, roles: principal.roles, groups: principal.groups },
}));
