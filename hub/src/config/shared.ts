import { z } from 'zod';

/** Value types shared by the hub's config sections. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
