import * as z from 'zod';

// Identifiers Latchkey hands out or accepts in paths: short, URL-safe, no surprises.
export const idSchema = z.string().regex(/^[a-z]{2,4}_[0-9A-Za-z]{10,40}$/, 'is not a valid id');

// Every list route pages the same way. Every field is bounded.
export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();
