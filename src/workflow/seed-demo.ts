import type { Kysely, Transaction } from 'kysely';
import * as scenario from '../../seeds/scenario-2005.js';
import type { Clock } from '../clock.js';
import { accountColumns } from '../db/accounts.js';
import type { Account, Database } from '../db/schema.js';
import { hashPassword, verifyPassword } from '../domain/password.js';
import { actorOf } from '../domain/permissions.js';
import { type Group, groups } from '../domain/vocabulary.js';
import { applyEvent } from './apply-event.js';
import { castBallot } from './ballots.js';
import { postComment } from './comments.js';
import { insertGuideline } from './create-guideline.js';
import { disposeComment } from './dispositions.js';
import type { GuidelineCommand } from './events/index.js';
import type { EventObserver } from './observers.js';
import { scheduleGbSession } from './timers.js';

// Loads the 2005 demo scenario. Idempotent: the whole scenario goes in one transaction and is
// recorded in seed_runs, so a second run changes nothing. The recorded password check lets a
// restart with another DEMO_PASSWORD re-key the demo accounts (SPEC section 9: every demo account's
// password is DEMO_PASSWORD).
//
// The guidelines are taken to their stages as users take them: every event through the engine,
// every comment, ballot and disposition through its use case, all at the clock's now.

export const DEMO_SEED = 'demo-2005';

export type SeedOutcome = 'seeded' | 'already-seeded' | 'passwords-updated';

export async function seedDemo(
  db: Kysely<Database>,
  clock: Clock,
  options: {
    password: string;
    /** Told of every seeded event, so its timers are scheduled as for any other. */
    observers?: readonly EventObserver[];
  },
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

  // The story has a consultation open and a paper still to close: its clock must be before both.
  const deadline = new Date(scenario.meeting.consultationDeadline);
  if (clock.now() >= deadline) {
    throw new Error(
      `the demo scenario takes place before ${deadline.toISOString()}, but the clock reads ${clock.now().toISOString()}: seed it on a scenario clock (CLOCK_START)`,
    );
  }

  await db.transaction().execute(async (trx) => {
    const users = await insertAccounts(trx, passwordHash);
    const meetingId = await insertMeeting(trx, users);
    const gbSessionId = await insertGbSession(trx, clock);
    await insertGuidelines({
      trx,
      clock,
      observers: options.observers ?? [],
      users,
      meetingId,
      gbSessionId,
    });
    await trx
      .insertInto('seed_runs')
      .values({ name: DEMO_SEED, password_check: passwordHash })
      .execute();
  });
  return 'seeded';
}

type Accounts = ReadonlyMap<string, Account>;

async function insertAccounts(trx: Transaction<Database>, passwordHash: string): Promise<Accounts> {
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
    .select(accountColumns)
    .where(
      'email',
      'in',
      scenario.accounts.map((a) => a.email),
    )
    .execute();
  return new Map(rows.map((r) => [r.email, r]));
}

async function insertMeeting(trx: Transaction<Database>, users: Accounts): Promise<string> {
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
  const members = [...users.values()].filter((u) => m.memberRoles.includes(u.role));
  await trx
    .insertInto('meeting_members')
    .values(members.map((u) => ({ meeting_id: meeting.id, user_id: u.id })))
    .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doNothing())
    .execute();
  return meeting.id;
}

async function insertGbSession(trx: Transaction<Database>, clock: Clock): Promise<string> {
  const s = scenario.gbSession;
  const made = await trx
    .insertInto('gb_sessions')
    .values({
      number: s.number,
      name: s.name,
      venue: s.venue,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      document_deadline: s.documentDeadline,
      paper: JSON.stringify(s.paper),
    })
    .onConflict((oc) => oc.column('number').doNothing())
    .returning(['id', 'document_deadline'])
    .executeTakeFirst();
  // Its document deadline reminds the secretariat, as a session made through the API does.
  if (made) {
    const documentDeadline = new Date(made.document_deadline);
    await scheduleGbSession(trx, { id: made.id, documentDeadline }, clock.now());
  }
  const session = await trx
    .selectFrom('gb_sessions')
    .select('id')
    .where('number', '=', s.number)
    .executeTakeFirstOrThrow();
  return session.id;
}

interface Story {
  trx: Transaction<Database>;
  clock: Clock;
  observers: readonly EventObserver[];
  users: Accounts;
  meetingId: string;
  gbSessionId: string;
}

// Guidelines go through the same use case as any drafter's, so each opens its own audit chain, and
// then through the engine to the stage the scenario gives them.
async function insertGuidelines(story: Story) {
  const sections = await story.trx
    .selectFrom('framework_sections')
    .select(['id', 'slug'])
    .execute();
  for (const g of scenario.guidelines) {
    const owner = story.users.get(g.ownerEmail);
    const sectionId = sections.find((s) => s.slug === g.section)?.id;
    if (!owner || !sectionId)
      throw new Error(`seed data names an unknown owner or section: ${g.title}`);
    const { id } = await insertGuideline(story.trx, story.clock, {
      ownerId: owner.id,
      sectionId,
      title: g.title,
      text: g.paragraphs.join(scenario.paragraphSeparator),
      references: g.references,
    });
    const reached = await takeToStage(story, id, owner, g);
    if (reached !== g.stage) {
      throw new Error(`seed data takes "${g.title}" to ${reached}, not to ${g.stage}`);
    }
  }
}

/** The events, comments, ballots and dispositions that bring one guideline to its stage. */
async function takeToStage(
  story: Story,
  guidelineId: string,
  owner: Account,
  g: scenario.SeedGuideline,
): Promise<string> {
  const { trx, clock } = story;
  const user = (email: string) => {
    const found = story.users.get(email);
    if (!found) throw new Error(`seed data names an unknown account: ${email}`);
    return found;
  };
  // In the scenario's order (01, 02 …), which is the order ballots are cast in.
  const experts = (group: Group) =>
    scenario.accounts
      .filter((a) => a.role === 'expert' && a.group === group)
      .map((a) => user(a.email));
  const secretariat = user(scenario.meeting.secretariatEmail);
  const act = async (command: GuidelineCommand, by: Account) =>
    (
      await applyEvent(
        { db: trx, clock, observers: story.observers },
        guidelineId,
        command,
        actorOf(by),
      )
    ).toState;
  // The use cases join the seed's transaction: the scenario goes in whole or not at all.
  const useCases = { db: trx, clock };

  if (g.stage === 'drafting') return 'drafting';
  let state = await act({ type: 'SUBMIT' }, owner);
  if (g.stage === 'secretariat_check') return state;
  state = await act({ type: 'ACCEPT_FOR_REVIEW', meetingId: story.meetingId }, secretariat);
  const comments = [];
  for (const c of g.comments ?? []) {
    const posted = await postComment(useCases, guidelineId, user(c.authorEmail), {
      body: c.body,
      anchor: { paragraph: c.paragraph, exact: c.exact },
      proposedText: c.proposedText,
    });
    comments.push({ id: posted.id, disposition: c.disposition });
  }
  for (const group of groups) {
    const position = g.positions?.[group];
    if (!position) continue;
    const spokesperson = experts(group).find((u) => u.spokesperson);
    if (!spokesperson) throw new Error(`seed data has no spokesperson of the ${group} group`);
    state = await act({ type: 'SUBMIT_POSITION', ...position }, spokesperson);
  }
  if (g.stage === 'consultation') return state;
  state = await act({ type: 'CLOSE_CONSULTATION' }, secretariat);

  if (g.stage === 'revision') {
    state = await act(
      { type: 'REQUEST_REVISION', instructions: given(g.revisionInstructions, g) },
      secretariat,
    );
    for (const c of comments) {
      if (c.disposition) await disposeComment(useCases, c.id, owner, c.disposition);
    }
    return state;
  }
  if (g.ballots) {
    state = await act({ type: 'OPEN_VOTE' }, secretariat);
    for (const group of groups) {
      const voters = experts(group);
      for (const [i, choice] of (g.ballots[group] ?? []).entries()) {
        const voter = voters[i];
        if (!voter) throw new Error(`seed data has more ballots than ${group} experts: ${g.title}`);
        await castBallot(useCases, guidelineId, voter, choice);
      }
    }
    if (g.stage === 'voting') return state;
    state = await act({ type: 'CLOSE_VOTE' }, secretariat);
  } else {
    state = await act({ type: 'RECORD_CONSENSUS', summary: given(g.consensus, g) }, secretariat);
  }
  if (g.stage === 'submitted_to_gb') {
    state = await act(
      { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: story.gbSessionId },
      user(scenario.gbSession.secretariatEmail),
    );
  }
  return state;
}

function given(text: string | undefined, g: scenario.SeedGuideline): string {
  if (!text) throw new Error(`seed data leaves out a text "${g.title}" needs at ${g.stage}`);
  return text;
}
