import * as z from 'zod';
import { idSchema } from '../kernel/schemas.ts';
import { hasDuplicates, targetFields } from './target.ts';

export const targetPath = z.object({ targetId: idSchema }).strict();

/** A field PUT /targets/{targetId} refuses, with why: sent at all (any value), it is a 400 naming the field. */
const unchangeable = (why: string) => z.never({ error: `cannot change: ${why}` }).optional();
const identity = unchangeable('it names the database; register a new target for another one');

const shape = targetFields.shape;

/**
 * The body of PUT /targets/{targetId}, derived from the fields POST /targets takes.
 * Every changeable field is optional: an absent one stays as it is; `null` removes
 * the bastion or unlinks the integration; `databaseUsers` replaces the whole list.
 * `version` is the version the admin read (the change is refused, 409, if the
 * target moved on since); `force` goes through a change that breaks open grants.
 */
export const targetChangeBody = z
  .object({
    version: z.number().int().min(1),
    force: z.boolean().default(false),
    integrationId: shape.integrationId.unwrap().nullable().optional(),
    endpoint: shape.endpoint.optional(),
    port: shape.port.optional(),
    databaseUsers: shape.databaseUsers.refine((users) => !hasDuplicates(users), 'lists a database user twice').optional(),
    bastionInstanceId: shape.bastionInstanceId.unwrap().nullable().optional(),
    name: unchangeable('a target keeps its name'),
    engine: identity,
    aurora: identity,
    region: identity,
    accountId: identity,
    resourceId: identity,
    policy: unchangeable('the policy changes through PUT /targets/{targetId}/policy'),
  })
  .strict();
export type TargetChangeBody = z.infer<typeof targetChangeBody>;

/** The fields a change may touch, in the order events and errors list them. */
export const changeableTargetFields = ['integrationId', 'endpoint', 'port', 'databaseUsers', 'bastionInstanceId'] as const;
export type ChangeableTargetField = (typeof changeableTargetFields)[number];
