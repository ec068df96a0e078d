import { type Kysely, sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, User } from '../db/schema.js';
import { hashPassword } from '../domain/password.js';
import { userShapeProblem } from '../domain/permissions.js';
import type { Group, Role } from '../domain/vocabulary.js';
import { RecordConflict, RecordInvalid, RecordNotFound } from './errors.js';
import { auditRecordChange } from './record-audit.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  group?: Group | null | undefined;
  spokesperson?: boolean | undefined;
  organisation?: string | null | undefined;
  password: string;
}

export type UserChanges = Partial<Omit<NewUser, 'email'>> & { active?: boolean | undefined };

type Deps = { db: Kysely<Database>; clock: Clock };
/** Who makes the change: a secretariat user, or the operator at the command line. */
type By = Pick<User, 'id' | 'role'> | null;

function checkShape(user: { role: Role; group: Group | null; spokesperson: boolean }) {
  const problem = userShapeProblem(user);
  if (problem)
    throw new RecordInvalid(problem.includes('group') ? 'group' : 'spokesperson', problem);
}

/** The users listed without their password hashes in the audit payload. */
const described = (u: Partial<User>) => ({
  email: u.email,
  name: u.name,
  role: u.role,
  group: u.group,
  spokesperson: u.spokesperson,
  organisation: u.organisation,
  active: u.active,
});

export async function createUser(deps: Deps, input: NewUser, by: By): Promise<User> {
  const values = {
    email: input.email.trim().toLowerCase(),
    name: input.name.trim(),
    role: input.role,
    group: input.group ?? null,
    spokesperson: input.spokesperson ?? false,
    organisation: input.organisation ?? null,
  };
  checkShape(values);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({ ...values, password_hash: passwordHash })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!user) throw new RecordConflict(`There is already an account for ${values.email}.`);
    await auditRecordChange(trx, {
      kind: 'user',
      id: user.id,
      by: by ?? user,
      eventType: by ? 'USER_CREATED' : 'USER_CREATED_AT_CONSOLE',
      payload: described(user),
      at: deps.clock.now(),
    });
    return user;
  });
}

export async function updateUser(
  deps: Deps,
  id: string,
  changes: UserChanges,
  by: Pick<User, 'id' | 'role'>,
): Promise<User> {
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  return deps.db.transaction().execute(async (trx) => {
    // Changes of role or activity queue on one lock, so two secretariats cannot demote each other
    // at the same moment and leave no one.
    if (changes.role !== undefined || changes.active !== undefined) {
      await sql`select pg_advisory_xact_lock(hashtext('users:secretariat-roster'))`.execute(trx);
    }
    const current = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new RecordNotFound('user');
    const role = changes.role ?? current.role;
    // Leaving the experts drops the group and the spokesperson flag unless they are given.
    const next = {
      role,
      group: changes.group !== undefined ? changes.group : role === 'expert' ? current.group : null,
      spokesperson: changes.spokesperson ?? (role === 'expert' ? current.spokesperson : false),
      name: changes.name?.trim() ?? current.name,
      organisation:
        changes.organisation !== undefined ? changes.organisation : current.organisation,
      active: changes.active ?? current.active,
    };
    checkShape(next);
    const stopsBeingSecretariat =
      current.role === 'secretariat' &&
      current.active &&
      (next.role !== 'secretariat' || !next.active);
    if (stopsBeingSecretariat) await keepOneSecretariat(trx, id);
    const user = await trx
      .updateTable('users')
      .set({
        ...next,
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        // A new password or a deactivation ends every token issued before it (and a later
        // reactivation does not bring them back).
        ...(passwordHash || (current.active && !next.active)
          ? { token_epoch: sql<number>`token_epoch + 1` }
          : {}),
        updated_at: deps.clock.now(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changed = Object.fromEntries(
      Object.entries(described(next)).filter(
        ([key, value]) => value !== undefined && value !== current[key as keyof User],
      ),
    );
    await auditRecordChange(trx, {
      kind: 'user',
      id,
      by,
      eventType: 'USER_UPDATED',
      payload: { ...changed, ...(passwordHash ? { password: 'reset' } : {}) },
      at: deps.clock.now(),
    });
    return user;
  });
}

/** Refuses to leave the system without an active secretariat account: no one could manage it. */
async function keepOneSecretariat(trx: Kysely<Database>, leaving: string) {
  const others = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'secretariat')
    .where('active', '=', true)
    .where('id', '!=', leaving)
    .execute();
  if (others.length === 0) {
    throw new RecordConflict('This is the last active secretariat account; appoint another first.');
  }
}

/** "Sign out everywhere": every token issued to the user so far stops working. */
export async function signOutEverywhere(
  deps: Deps,
  id: string,
  by: Pick<User, 'id' | 'role'>,
): Promise<User> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await trx
      .updateTable('users')
      .set({ token_epoch: sql<number>`token_epoch + 1`, updated_at: deps.clock.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!user) throw new RecordNotFound('user');
    await auditRecordChange(trx, {
      kind: 'user',
      id,
      by,
      eventType: 'USER_SIGNED_OUT_EVERYWHERE',
      payload: {},
      at: deps.clock.now(),
    });
    return user;
  });
}
