import { z } from 'zod';
import { groups, roles } from '../domain/vocabulary.js';

// An account as a person writes it: the input of the users use cases, for the users routes and for
// `npm run user:create` alike.

export const name = z.string().trim().min(1).max(200);
export const password = z.string().min(10, 'at least 10 characters').max(1024);
export const organisation = z.string().trim().min(1).max(200).nullable();

/** A new account, as the API and `npm run user:create` take it. */
export const newUserBody = z.strictObject({
  email: z.email().max(320),
  name,
  role: z.enum(roles),
  group: z.enum(groups).nullable().optional(),
  spokesperson: z.boolean().optional(),
  organisation: organisation.optional(),
  password,
});
