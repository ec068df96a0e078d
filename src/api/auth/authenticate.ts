import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { accountColumns } from '../../db/accounts.js';
import type { Account, Database } from '../../db/schema.js';
import { isUuid } from '../../domain/ids.js';
import { HttpProblem } from '../problem.js';
import type { SigningKeys } from './keys.js';
import { tokenReader } from './tokens.js';

/** The users columns a request reads: the password hash stays in the database. */
export const signedInColumns = accountColumns;

declare global {
  namespace Express {
    interface Locals {
      /** The signed-in user, read afresh from the database for this request. */
      user: Account;
    }
  }
}

const refuse = (detail: string) =>
  new HttpProblem(
    { code: 'unauthenticated', title: 'Not signed in', detail },
    { 'WWW-Authenticate': 'Bearer' },
  );

/**
 * Requires a valid bearer token and loads its user on every request, so that a deactivation or a
 * change of role or group acts at once, whatever the token says.
 */
export function authenticate(deps: {
  db: Kysely<Database>;
  keys: SigningKeys;
  jwt: Config['jwt'];
}): RequestHandler {
  const subjectOf = tokenReader(deps.keys, deps.jwt);
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) throw refuse('Send a bearer token: sign in at POST /api/v1/auth/login.');
    const claims = subjectOf(match[1]);
    if (!claims || !isUuid(claims.subject)) throw refuse('The token is not valid or has expired.');
    const row = await deps.db
      .selectFrom('users')
      .select([...signedInColumns, 'token_epoch'])
      .where('id', '=', claims.subject)
      .executeTakeFirst();
    if (!row?.active) throw refuse('This account is not active.');
    // A password change, deactivation or sign-out everywhere raised the epoch: earlier tokens end.
    if (row.token_epoch !== claims.epoch) throw refuse('This token was ended; sign in again.');
    const { token_epoch: _epoch, ...user } = row;
    res.locals.user = user;
    next();
  };
}

/** What the API shows of a user: never the password hash. */
export function publicUser(user: Account) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    group: user.group,
    spokesperson: user.spokesperson,
    organisation: user.organisation,
    active: user.active,
  };
}
