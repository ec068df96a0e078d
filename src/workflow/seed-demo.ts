import type { Kysely, Transaction } from 'kysely';
import * as scenario from '../../seeds/scenario-2005.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { hashPassword, verifyPassword } from '../domain/password.js';
import { insertGuideline } from './create-guideline.js';

// Loads the 2005 demo scenario. Idempotent: the whole scenario goes in one transaction and is
// recorded in seed_runs, so a second run changes nothing. The recorded password check lets a
// restart with another DEMO_PASSWORD re-key the demo accounts (SPEC section 9: every demo account's
// password is DEMO_PASSWORD).

export const DEMO_SEED = 'demo-2005';

export type SeedOutcome = 'seeded' | 'already-seeded' | 'passwords-updated';

export async function seedDemo(
  db: Kysely<Database>,
  clock: Clock,
  options: { password: string },
): Promise<SeedOutcome> {
  const previous = await db
    .selectFrom('seed_runs')
    .selectAll()
    .where('name', '=', DEMO_SEED)
    .executeTakeFirst();
  if (previous && (await verifyPassword(options.password, previous.password_check))) {
    return 'already-seeded';
  }
  // One hash serves every demo account: they share a password that is public by design.
  const passwordHash = await hashPassword(options.password);

  if (previous) {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: clock.now() })
        .where(
          'email',
          'in',
          scenario.accounts.map((a) => a.email),
        )
        .execute();
      await trx
        .updateTable('seed_runs')
        .set({ password_check: passwordHash })
        .where('name', '=', DEMO_SEED)
        .execute();
    });
    return 'passwords-updated';
  }

  await db.transaction().execute(async (trx) => {
    const userIds = await insertAccounts(trx, passwordHash);
    await insertMeeting(trx, userIds);
    await trx
      .insertInto('gb_sessions')
      .values({
        number: scenario.gbSession.number,
        name: scenario.gbSession.name,
        venue: scenario.gbSession.venue,
        starts_at: scenario.gbSession.startsAt,
        ends_at: scenario.gbSession.endsAt,
        document_deadline: scenario.gbSession.documentDeadline,
      })
      .onConflict((oc) => oc.column('number').doNothing())
      .execute();
    await insertGuidelines(trx, clock, userIds);
    await trx
      .insertInto('seed_runs')
      .values({ name: DEMO_SEED, password_check: passwordHash })
      .execute();
  });
  return 'seeded';
}

async function insertAccounts(trx: Transaction<Database>, passwordHash: string) {
  await trx
    .insertInto('users')
    .values(
      scenario.accounts.map((a) => ({
        email: a.email,
        name: a.name,
        role: a.role,
        group: a.group ?? null,
        spokesperson: a.spokesperson ?? false,
        organisation: a.organisation ?? null,
        password_hash: passwordHash,
      })),
    )
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const rows = await trx
    .selectFrom('users')
    .select(['id', 'email', 'role'])
    .where(
      'email',
      'in',
      scenario.accounts.map((a) => a.email),
    )
    .execute();
  return new Map(rows.map((r) => [r.email, r]));
}

async function insertMeeting(
  trx: Transaction<Database>,
  users: Map<string, { id: string; role: string }>,
) {
  const m = scenario.meeting;
  const framework = await trx
    .selectFrom('frameworks')
    .select('id')
    .where('slug', '=', 'labour-migration')
    .executeTakeFirstOrThrow();
  const existing = await trx
    .selectFrom('meetings')
    .select('id')
    .where('name', '=', m.name)
    .executeTakeFirst();
  const meeting =
    existing ??
    (await trx
      .insertInto('meetings')
      .values({
        framework_id: framework.id,
        name: m.name,
        venue: m.venue,
        starts_at: m.startsAt,
        ends_at: m.endsAt,
        voting_rule: m.votingRule,
        required_majority: m.requiredMajority,
        quorum: m.quorum,
        require_each_group: m.requireEachGroup,
        ballot: m.ballot,
        max_rounds: m.maxRounds,
        consultation_deadline: m.consultationDeadline,
        vote_deadline: m.voteDeadline,
        chairperson_id: users.get(m.chairpersonEmail)?.id ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  const members = [...users.values()].filter((u) => m.memberRoles.includes(u.role as never));
  await trx
    .insertInto('meeting_members')
    .values(members.map((u) => ({ meeting_id: meeting.id, user_id: u.id })))
    .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doNothing())
    .execute();
}

// Guidelines go through the same use case as any drafter's, so each opens its own audit chain.
async function insertGuidelines(
  trx: Transaction<Database>,
  clock: Clock,
  users: Map<string, { id: string }>,
) {
  const sections = await trx.selectFrom('framework_sections').select(['id', 'slug']).execute();
  for (const g of scenario.guidelines) {
    const ownerId = users.get(g.ownerEmail)?.id;
    const sectionId = sections.find((s) => s.slug === g.section)?.id;
    if (!ownerId || !sectionId)
      throw new Error(`seed data names an unknown owner or section: ${g.title}`);
    await insertGuideline(trx, clock, {
      ownerId,
      sectionId,
      title: g.title,
      text: g.paragraphs.join(scenario.paragraphSeparator),
      references: g.references,
    });
  }
}
