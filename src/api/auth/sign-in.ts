import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database, User } from '../../db/schema.js';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../domain/password.js';
import { HttpProblem } from '../problem.js';
import type { SigningKeys } from './keys.js';
import {
  accountPolicy,
  addressPolicy,
  claimAttempt,
  clearFailures,
  refundAttempt,
} from './throttle.js';
import { issueToken } from './tokens.js';

export interface SignInDependencies {
  db: Kysely<Database>;
  keys: SigningKeys;
  jwt: Config['jwt'];
}

const invalid = () =>
  new HttpProblem({
    code: 'invalid_credentials',
    title: 'Invalid credentials',
    detail: 'The e-mail address or the password is not correct.',
  });

/** Signs a person in: the same refusal for an unknown e-mail, a wrong password or a closed account. */
export async function signIn(
  deps: SignInDependencies,
  input: { email: string; password: string; address: string },
): Promise<{ token: string; user: User }> {
  const now = new Date(); // security decisions run on wall-clock time, not the scenario clock
  const email = input.email.trim().toLowerCase();
  const account = `account:${email}`;
  const address = `address:${input.address}`;
  // The guesser's address is claimed first, so a paused address cannot use up the account's pace.
  const wait =
    (await claimAttempt(deps.db, address, addressPolicy, now)) ||
    (await claimAttempt(deps.db, account, accountPolicy, now));
  if (wait > 0) {
    throw new HttpProblem(
      {
        code: 'too_many_requests',
        title: 'Too many failed sign-ins',
        detail: `Sign-in is paused after repeated failures. Try again in ${wait} seconds.`,
      },
      { 'Retry-After': String(wait) },
    );
  }
  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirst();
  // An unknown e-mail is checked against the decoy, so it takes as long as a wrong password.
  const matches = await verifyPassword(input.password, user?.password_hash ?? decoyHash);
  if (!user || !matches || !user.active) {
    throw invalid(); // the attempt was already counted against the account and the address
  }
  await clearFailures(deps.db, account);
  await refundAttempt(deps.db, address, addressPolicy);
  if (needsRehash(user.password_hash)) {
    // Upgraded while the password is at hand; only if unchanged meanwhile. Not a password change,
    // so tokens keep their epoch.
    await deps.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(input.password) })
      .where('id', '=', user.id)
      .where('password_hash', '=', user.password_hash)
      .execute();
  }
  return { token: issueToken(deps.keys, deps.jwt, user.id, user.token_epoch), user };
}
