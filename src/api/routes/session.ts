import { z } from 'zod';
import { publicUser } from '../auth/authenticate.js';
import { signIn } from '../auth/sign-in.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { sessionSchema, userSchema } from '../schemas.js';

const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** Signing in, and who the caller is. */
export const sessionEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'post',
    path: '/api/v1/auth/login',
    tag: 'session',
    summary: 'Sign in with e-mail and password',
    description:
      'Answers a bearer token and the user. An unknown e-mail and a wrong password get the same 401; repeated failures are throttled per account and per address (429 with Retry-After).',
    signedIn: false,
    body: loginBody,
    responses: { 200: { description: 'Signed in.', schema: sessionSchema } },
    problems: [
      'invalid_credentials',
      'unsupported_media_type',
      'payload_too_large',
      'too_many_requests',
    ],
    async handle({ body }, req, res) {
      const { token, user } = await signIn(deps, { ...body, address: req.ip ?? 'unknown' });
      res.set('Cache-Control', 'no-store').json({ token, user: publicUser(user) });
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/me',
    tag: 'session',
    summary: 'The signed-in caller',
    signedIn: true,
    responses: { 200: { description: 'The caller.', schema: userSchema } },
    problems: [],
    handle({ user }, _req, res) {
      res.json(publicUser(user));
    },
  }),
];
