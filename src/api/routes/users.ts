import { z } from 'zod';
import type { Account } from '../../db/schema.js';
import { groups, roles } from '../../domain/vocabulary.js';
import { createUser, signOutEverywhere, updateUser } from '../../workflow/manage-users.js';
import { listUsers, readAccount } from '../../workflow/read-users.js';
import { name, newUserBody, organisation, password } from '../../workflow/user-input.js';
import { authorize } from '../access.js';
import { publicUser } from '../auth/authenticate.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { pageOf, userSchema } from '../schemas.js';
import { booleanQuery, textCursor } from '../validation.js';

const patchBody = z
  .strictObject({
    name: name.optional(),
    role: z.enum(roles).optional(),
    group: z.enum(groups).nullable().optional(),
    spokesperson: z.boolean().optional(),
    organisation: organisation.optional(),
    active: z.boolean().optional(),
    password: password.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
const listQuery = z.strictObject({
  role: z.enum(roles).optional(),
  group: z.enum(groups).optional(),
  active: booleanQuery.optional(),
  cursor: textCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const params = z.strictObject({ id: z.uuid() });

/** The secretariat, or the user themself: anyone else is refused before anything is read. */
function authorizeSelfOr(user: Account, id: string) {
  if (user.id !== id) authorize(user, 'manage_users');
}

/** The secretariat manages accounts: roles, groups, spokespersons, and who is active. */
export const userEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/users',
    tag: 'users',
    summary: 'List users (secretariat)',
    signedIn: true,
    query: listQuery,
    responses: { 200: { description: 'A page, in e-mail order.', schema: pageOf(userSchema) } },
    problems: ['forbidden'],
    async handle({ query, user }, _req, res) {
      authorize(user, 'manage_users');
      const page = await listUsers(deps.db, query, { limit: query.limit, after: query.cursor });
      res.json({
        items: page.items.map(publicUser),
        nextCursor: page.next ? textCursor.encode(page.next) : null,
      });
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/users',
    tag: 'users',
    summary: 'Create a user (secretariat)',
    description:
      'An expert needs a group; only an expert can be a spokesperson. 409 when the e-mail is taken.',
    signedIn: true,
    body: newUserBody,
    headers: ['Idempotency-Key'],
    responses: { 201: { description: 'Created.', schema: userSchema, headers: ['Location'] } },
    problems: ['forbidden', 'conflict', 'unsupported_media_type', 'payload_too_large'],
    async handle({ body, user }, _req, res) {
      authorize(user, 'manage_users');
      const created = await createUser(deps, body, user);
      res.status(201).location(`/api/v1/users/${created.id}`).json(publicUser(created));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/users/:id',
    tag: 'users',
    summary: 'One user (secretariat, or oneself)',
    description: 'Where the Location of a created user points.',
    signedIn: true,
    params,
    responses: { 200: { description: 'The user.', schema: userSchema } },
    problems: ['forbidden', 'not_found'],
    async handle({ params, user }, _req, res) {
      authorizeSelfOr(user, params.id);
      res.set('Cache-Control', 'no-store').json(publicUser(await readAccount(deps.db, params.id)));
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/users/:id/sign-out',
    tag: 'users',
    summary: 'Sign out everywhere (secretariat, or oneself)',
    description:
      'Ends every token issued to the user so far, on every device; the user signs in again for a new one.',
    signedIn: true,
    params,
    responses: {
      200: { description: 'The user, whose earlier tokens no longer work.', schema: userSchema },
    },
    problems: ['forbidden', 'not_found'],
    async handle({ params, user }, _req, res) {
      authorizeSelfOr(user, params.id);
      res.json(publicUser(await signOutEverywhere(deps, params.id, user)));
    },
  }),
  endpoint({
    method: 'patch',
    path: '/api/v1/users/:id',
    tag: 'users',
    summary: 'Change a user (secretariat)',
    description:
      'Role, group, spokesperson flag, organisation, active, or a new password. Takes effect on the next request, whatever tokens the user holds. The last active secretariat account cannot be demoted or deactivated.',
    signedIn: true,
    params,
    body: patchBody,
    responses: { 200: { description: 'The user as changed.', schema: userSchema } },
    problems: ['forbidden', 'not_found', 'conflict', 'unsupported_media_type', 'payload_too_large'],
    async handle({ params, body, user }, _req, res) {
      authorize(user, 'manage_users');
      res.json(publicUser(await updateUser(deps, params.id, body, user)));
    },
  }),
];
