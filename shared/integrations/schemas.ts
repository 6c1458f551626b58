import * as z from 'zod';
import { idSchema } from '../kernel/schemas.ts';

export { createIntegrationInput as createIntegrationBody, registerRoleInput as registerRoleBody } from './integration.ts';

// Wire schemas of the integration routes. Every field is bounded.
export const integrationPath = z.object({ integrationId: idSchema }).strict();

export const setupFormats = ['json', 'cloudformation', 'terraform', 'sql'] as const;
export const setupQuery = z.object({ format: z.enum(setupFormats).default('json') }).strict();
