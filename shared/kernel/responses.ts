import * as z from 'zod';
import { allRoles } from './principal.ts';

// Response schemas: what leaves the API, as zod. The OpenAPI document (openapi/) renders them and
// the e2e suite validates every answer against that document; DTO functions are typed by them.
// Runtime code imports these files for their types only, so no bundle builds them.

export const instantSchema = z.iso.datetime({ offset: true }).meta({ description: 'An instant, ISO 8601 in UTC.' });

export const principalSchema = z
  .object({
    id: z.string().meta({ description: 'The JWT `sub` for people; the registered IAM role ARN for services.' }),
    kind: z.enum(['user', 'service']),
    tenantId: z.string(),
    roles: z.array(z.enum(allRoles)),
    groups: z.array(z.string()),
  })
  .strict()
  .meta({ id: 'Principal', description: 'The caller as Latchkey resolved it.' });

/** A list answer: newest first (or the order the route says), with an opaque cursor while more remain. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page.' }),
    })
    .strict()
    .meta({ id });
}

/** Compile-time only: `Value` must be a valid input of the schema it is checked against. */
export type Conforms<Value extends Schema, Schema> = Value;
