import { Router } from 'express';
import { z } from 'zod';
import type { ApiDependencies } from '../app.js';
import { authenticate, publicUser } from '../auth/authenticate.js';
import { signIn } from '../auth/sign-in.js';
import { parse, requireJson } from '../validation.js';

const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** Signing in, and who the caller is. */
export function sessionRoutes(deps: ApiDependencies): Router {
  const router = Router();
  router.post('/api/v1/auth/login', requireJson, async (req, res) => {
    const body = parse(loginBody, req.body);
    const { token, user } = await signIn(deps, { ...body, address: req.ip ?? 'unknown' });
    res.json({ token, user: publicUser(user) });
  });
  router.get('/api/v1/me', authenticate(deps), (_req, res) => {
    res.json(publicUser(res.locals.user));
  });
  return router;
}
