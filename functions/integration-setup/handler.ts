import { integrationPath, setupQuery } from '#shared/integrations/schemas';
import { integrationSetup } from '#shared/integrations/get-setup';
import { integrationDeps, route } from '#shared/wiring/index';

// json: everything; the other formats: the one file to save, ready to apply.
export const handler = route({ path: integrationPath, query: setupQuery }, async ({ principal, path, query }) => {
  const setup = await integrationSetup(integrationDeps, principal, path.integrationId);
  const file = (name: string) => ({ 'content-disposition': `attachment; filename="${name}"` });
  switch (query.format) {
    case 'cloudformation':
      return { status: 200, text: `${JSON.stringify(setup.cloudFormation.template, null, 2)}\n`, contentType: 'application/json; charset=utf-8', headers: file(`latchkey-${setup.integrationId}.cfn.json`) };
    case 'terraform':
      return { status: 200, text: setup.terraform, contentType: 'text/plain; charset=utf-8', headers: file(`latchkey-${setup.integrationId}.tf`) };
    case 'sql':
      return { status: 200, text: setup.sql, contentType: 'text/plain; charset=utf-8', headers: file(`latchkey-${setup.integrationId}.sql`) };
    default:
      return { status: 200, body: setup };
  }
});
