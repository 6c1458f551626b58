import * as z from 'zod';
import { idSchema } from '../kernel/schemas.ts';

export const targetPath = z.object({ targetId: idSchema }).strict();
