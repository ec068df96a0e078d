import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChain } from '../../src/db/audit.js';
import type { User } from '../../src/db/schema.js';
import { actorOf } from '../../src/domain/permissions.js';
import { UnsupportedMachineVersion } from '../../src/machines/snapshot.js';
import { allowedEvents } from '../../src/workflow/allowed-events.js';
import { applyEvent } from '../../src/workflow/apply-event.js';
import {
  EventForbidden,
  EventNotAllowed,
  GuidelineNotFound,
  VersionConflict,
} from '../../src/workflow/errors.js';
import type { GuidelineCommand } from '../../src/workflow/events/index.js';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { storedGuideline } from '../helpers/factories.js';
import {
  castBallots,
  openConsultation,
  type Review,
  setUpReview,
  statePositions,
} from '../helpers/review.js';

let t: TestDatabase;
let r: Review;
beforeAll(async () => {
  t = await freshDatabase();
  r = await setUpReview(t.db);
});
afterAll(() => t.close());

const guideline = (id: string) => storedGuideline(t.db, id);

/** Everything an event could have touched, to prove a refusal changed nothing. */
async function footprint(id: string) {
  const [row, audit, notifications, revisions, positions] = await Promise.all([
    guideline(id),
    t.db.selectFrom('audit_entries').select('seq').where('guideline_id', '=', id).execute(),
    t.db.selectFrom('notifications').select('id').where('guideline_id', '=', id).execute(),
    t.db.selectFrom('revisions').select('id').where('guideline_id', '=', id).execute(),
    t.db.selectFrom('positions').select('id').where('guideline_id', '=', id).execute(),
  ]);
  return {
    row,
    audit: audit.length,
    notifications: notifications.length,
    revisions: revisions.length,
    positions: positions.length,
  };
}

async function refused<E extends Error>(
  work: Promise<unknown>,
  kind: new (...args: never[]) => E,
): Promise<E> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  return error as E;
}

describe('a guideline from draft to the Governing Body', () => {
  it('goes through consensus, submission and approval, leaving the record behind', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    expect((await guideline(id)).state).toBe('secretariat_check');

    await r.act(id, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat);
    let row = await guideline(id);
    expect(row).toMatchObject({ state: 'consultation', round: 1, meeting_id: r.meetingId });
    expect(row.snapshot.value).toEqual({
      consultation: { government: 'open', employers: 'open', workers: 'open' },
    });

    await statePositions(r, id, {
      government: 'support',
      employers: 'support_with_reservations',
      workers: 'support',
    });
    await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await r.act(
      id,
      { type: 'RECORD_CONSENSUS', summary: 'All groups support the text.' },
      r.secretariat,
    );
    await r.act(id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: r.gbSessionId }, r.secretariat);
    await r.act(id, { type: 'RECORD_GB_DECISION', decision: 'approved' }, r.secretariat);

    row = await guideline(id);
    expect(row).toMatchObject({ state: 'approved', gb_session_id: r.gbSessionId, version: 10 });
    const revisions = await t.db
      .selectFrom('revisions')
      .selectAll()
      .where('guideline_id', '=', id)
      .execute();
    expect(revisions.map((v) => [v.number, v.round, v.text])).toEqual([[1, 1, row.text]]);
    const positions = await t.db
      .selectFrom('positions')
      .select(['group', 'stance'])
      .where('guideline_id', '=', id)
      .orderBy('group')
      .execute();
    expect(positions).toEqual([
      { group: 'employers', stance: 'support_with_reservations' },
      { group: 'government', stance: 'support' },
      { group: 'workers', stance: 'support' },
    ]);
    expect(
      await t.db
        .selectFrom('consensus_records')
        .select('summary')
        .where('guideline_id', '=', id)
        .execute(),
    ).toEqual([{ summary: 'All groups support the text.' }]);
    expect(
      await t.db
        .selectFrom('gb_decisions')
        .select('decision')
        .where('guideline_id', '=', id)
        .execute(),
    ).toEqual([{ decision: 'approved' }]);

    const chain = await readChain(t.db, `guideline:${id}`);
    expect(chain.map((e) => e.eventType)).toEqual([
      'CREATE',
      'SUBMIT',
      'ACCEPT_FOR_REVIEW',
      'SUBMIT_POSITION',
      'SUBMIT_POSITION',
      'SUBMIT_POSITION',
      'CLOSE_CONSULTATION',
      'RECORD_CONSENSUS',
      'INCLUDE_IN_SUBMISSION',
      'RECORD_GB_DECISION',
    ]);
    expect(chain.at(-1)).toMatchObject({
      fromState: 'submitted_to_gb',
      toState: 'approved',
      version: 10,
      actorId: r.secretariat.id,
    });
    expect((await verifyAuditChains(t.db, [`guideline:${id}`])).ok).toBe(true);
    // The row keeps the head of its chain, which the next event builds on.
    expect(row).toMatchObject({ audit_seq: chain.length, audit_hash: chain.at(-1)?.hash });
  });

  it('tells the people concerned, never the one who acted', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    const toSecretariat = await t.db
      .selectFrom('notifications')
      .select(['recipient_id', 'kind'])
      .where('guideline_id', '=', id)
      .execute();
    expect(toSecretariat.map((n) => n.recipient_id)).toContain(r.secretariat.id);
    expect(toSecretariat.map((n) => n.recipient_id)).not.toContain(r.owner.id);

    const accepted = await r.act(
      id,
      { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId },
      r.secretariat,
    );
    const opened = await t.db
      .selectFrom('notifications')
      .select('recipient_id')
      .where('guideline_id', '=', id)
      .where('kind', '=', 'guideline.accept_for_review')
      .execute();
    const expected = [r.owner, r.observer, ...Object.values(r.experts).flat()]
      .map((u) => u.id)
      .sort();
    expect(opened.map((n) => n.recipient_id).sort()).toEqual(expected);
    expect(accepted.notified).toBe(expected.length);
  });
});

describe('refusals change nothing', () => {
  it('another drafter cannot even find the owner’s draft; once it is out, submitting is not theirs', async () => {
    const { id } = await r.newGuideline();
    const before = await footprint(id);
    await refused(r.act(id, { type: 'SUBMIT' }, r.otherDrafter), GuidelineNotFound);
    expect(await footprint(id)).toEqual(before);
    await openConsultation(r, id);
    const error = await refused(
      r.act(id, { type: 'WITHDRAW', reason: 'x' }, r.otherDrafter),
      EventForbidden,
    );
    expect(error.reason).toBe(
      'only the owning drafter or the secretariat may withdraw a guideline',
    );
  });

  it('an empty text cannot be submitted (not allowed now, with the reason)', async () => {
    const { id } = await r.newGuideline('   ');
    const before = await footprint(id);
    const error = await refused(r.act(id, { type: 'SUBMIT' }, r.owner), EventNotAllowed);
    expect(error).toMatchObject({ state: 'drafting', reason: 'the guideline text is empty' });
    expect(await footprint(id)).toEqual(before);
  });

  it('a stale version is a conflict', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner, 1);
    const before = await footprint(id);
    const error = await refused(
      r.act(id, { type: 'RETURN_TO_DRAFTER', reason: 'x' }, r.secretariat, 1),
      VersionConflict,
    );
    expect(error).toMatchObject({ expected: 1, actual: 2 });
    expect(await footprint(id)).toEqual(before);
  });

  it('an event the state does not take says which state the guideline is in', async () => {
    const { id } = await r.newGuideline();
    const error = await refused(r.act(id, { type: 'OPEN_VOTE' }, r.secretariat), EventNotAllowed);
    expect(error.reason).toBe('OPEN_VOTE is not possible while the guideline is in drafting');
  });

  it('only the spokesperson states a group’s position, once per round', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const member = r.experts.workers[1]!;
    expect(
      (
        await refused(
          r.act(id, { type: 'SUBMIT_POSITION', stance: 'support', statement: 'x' }, member),
          EventForbidden,
        )
      ).reason,
    ).toBe('only the spokesperson of the workers group may state its position');
    await r.act(
      id,
      { type: 'SUBMIT_POSITION', stance: 'oppose', statement: 'No.' },
      r.spokesperson('workers'),
    );
    const before = await footprint(id);
    const again = await refused(
      r.act(
        id,
        { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Yes after all.' },
        r.spokesperson('workers'),
      ),
      EventNotAllowed,
    );
    expect(again.reason).toBe('the workers group has already stated its position in round 1');
    expect(await footprint(id)).toEqual(before);
  });

  it('a spokesperson of another meeting is refused; before consultation an expert cannot see the guideline at all', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    // Submitted but not yet before a meeting: the secretariat is told what the state allows.
    const early = await refused(
      r.act(id, { type: 'SUBMIT_POSITION', stance: 'support', statement: 'x' }, r.secretariat),
      EventForbidden,
    );
    expect(early.reason).toBe("only an expert may state a group's position");
    // An expert cannot see the guideline before consultation at all.
    await refused(
      r.act(
        id,
        { type: 'SUBMIT_POSITION', stance: 'support', statement: 'x' },
        r.spokesperson('government'),
      ),
      GuidelineNotFound,
    );
    await r.act(id, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat);
    const elsewhere = await setUpReview(t.db);
    const stranger = elsewhere.spokesperson('government');
    const error = await refused(
      r.act(id, { type: 'SUBMIT_POSITION', stance: 'support', statement: 'x' }, stranger),
      EventForbidden,
    );
    expect(error.reason).toBe('you are not a member of the meeting reviewing this guideline');
  });

  it('consultation closes early only with all three positions in', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    await statePositions(r, id, { government: 'support' });
    const error = await refused(
      r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat),
      EventNotAllowed,
    );
    expect(error.reason).toBe(
      'the position of the employers and workers groups is still awaited and the consultation deadline has not passed',
    );
    r.clock.advance(30 * 24 * 3600); // past the consultation deadline
    try {
      await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
      expect((await guideline(id)).state).toBe('deliberation');
    } finally {
      // Later tests expect October again: build a fresh review clock for them.
      r = await setUpReview(t.db);
    }
  });

  it('no consensus can be recorded over a group’s opposition', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    await statePositions(r, id, { government: 'support', employers: 'oppose', workers: 'support' });
    await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    const error = await refused(
      r.act(id, { type: 'RECORD_CONSENSUS', summary: 'Agreed.' }, r.secretariat),
      EventNotAllowed,
    );
    expect(error.reason).toMatch(/^the employers group opposed the text in this round/);
  });

  it('a timer event cannot be sent by a person, and a person’s event not by the timer', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    await refused(r.act(id, { type: 'CONSULTATION_DEADLINE' }, r.secretariat), EventForbidden);
    await refused(r.act(id, { type: 'CLOSE_CONSULTATION' }, 'system'), EventForbidden);
    // The timer fired early (the deadline moved): the machine refuses it.
    const early = await refused(
      r.act(id, { type: 'CONSULTATION_DEADLINE' }, 'system'),
      EventNotAllowed,
    );
    expect(early.reason).toBe('the deadline has not been reached');
  });

  it('a withdrawn guideline takes no further event', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'WITHDRAW', reason: 'Merged into another guideline.' }, r.owner);
    const error = await refused(
      r.act(id, { type: 'WITHDRAW', reason: 'again' }, r.secretariat),
      EventNotAllowed,
    );
    expect(error.reason).toBe('the guideline is withdrawn: its review has ended');
  });
});

describe('votes and rounds', () => {
  async function toVote(id: string) {
    await openConsultation(r, id);
    await statePositions(r, id, { government: 'support', employers: 'oppose', workers: 'support' });
    await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
  }

  it('a vote that passes adopts the guideline and keeps the tally', async () => {
    const { id } = await r.newGuideline();
    await toVote(id);
    const weights = await t.db
      .selectFrom('vote_weights')
      .select(['group', 'weight'])
      .where('guideline_id', '=', id)
      .execute();
    expect(weights).toHaveLength(6);
    await castBallots(r, id, {
      government: ['yes', 'yes'],
      employers: ['no', 'abstain'],
      workers: ['yes', 'no'],
    });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    expect((await guideline(id)).state).toBe('adopted');
    const vote = await t.db
      .selectFrom('votes')
      .selectAll()
      .where('guideline_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(vote.result).toBe('passed');
    // Groups of two: L = 2, every weight 1.
    expect(vote.tally).toMatchObject({
      strength: 2,
      weighted: { yes: 3, no: 2, abstain: 1, cast: 6 },
    });
    const chain = await readChain(t.db, `guideline:${id}`);
    expect(chain.at(-1)?.payload).toEqual({ result: 'passed' });
  });

  it('a vote without quorum goes back to deliberation and can be held again', async () => {
    const { id } = await r.newGuideline();
    await toVote(id);
    await castBallots(r, id, { government: ['yes'] });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    expect((await guideline(id)).state).toBe('deliberation');
    await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
    const votes = await t.db
      .selectFrom('votes')
      .select(['number', 'result'])
      .where('guideline_id', '=', id)
      .orderBy('number')
      .execute();
    expect(votes).toEqual([
      { number: 1, result: 'no_quorum' },
      { number: 2, result: null },
    ]);
  });

  it('a failed vote sends the text to revision, and resubmission waits for every disposition', async () => {
    const { id } = await r.newGuideline();
    await toVote(id);
    await castBallots(r, id, {
      government: ['no', 'no'],
      employers: ['no', 'no'],
      workers: ['yes', 'yes'],
    });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    expect((await guideline(id)).state).toBe('revision');

    const revision = await t.db
      .selectFrom('revisions')
      .select('id')
      .where('guideline_id', '=', id)
      .executeTakeFirstOrThrow();
    for (const body of ['Name C181.', 'Add a paragraph on fees.']) {
      await t.db
        .insertInto('comments')
        .values({
          guideline_id: id,
          revision_id: revision.id,
          round: 1,
          author_id: r.experts.workers[1]!.id,
          author_role: 'expert',
          author_group: 'workers',
          body,
        })
        .execute();
    }
    const error = await refused(r.act(id, { type: 'RESUBMIT' }, r.owner), EventNotAllowed);
    expect(error.reason).toBe('2 comments of round 1 still have no disposition');
    await t.db
      .updateTable('comments')
      .set({ disposition: 'accepted', disposed_at: r.clock.now() })
      .where('guideline_id', '=', id)
      .execute();
    await r.act(id, { type: 'RESUBMIT' }, r.owner);
    const row = await guideline(id);
    expect(row).toMatchObject({ state: 'consultation', round: 2 });
    expect(
      await t.db
        .selectFrom('revisions')
        .select(['number', 'round'])
        .where('guideline_id', '=', id)
        .orderBy('number')
        .execute(),
    ).toEqual([
      { number: 1, round: 1 },
      { number: 2, round: 2 },
    ]);
  });

  it('a failed vote in the last round rejects the guideline', async () => {
    const short = await setUpReview(t.db, { maxRounds: 1 });
    const { id } = await short.newGuideline();
    const saved = r;
    r = short;
    try {
      await toVote(id);
      await castBallots(r, id, {
        government: ['no', 'no'],
        employers: ['no', 'no'],
        workers: ['no', 'yes'],
      });
      await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
      expect((await guideline(id)).state).toBe('rejected');
    } finally {
      r = saved;
    }
  });

  it('a referral by the Governing Body opens the next round once, not twice', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    await statePositions(r, id, {
      government: 'support',
      employers: 'support',
      workers: 'support',
    });
    await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await r.act(id, { type: 'RECORD_CONSENSUS', summary: 'Agreed.' }, r.secretariat);
    await r.act(id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: r.gbSessionId }, r.secretariat);
    await r.act(
      id,
      {
        type: 'RECORD_GB_DECISION',
        decision: 'referred_back',
        instructions: 'Address domestic work.',
      },
      r.secretariat,
    );
    expect(await guideline(id)).toMatchObject({ state: 'revision', round: 2 });
    await r.act(id, { type: 'RESUBMIT' }, r.owner);
    expect(await guideline(id)).toMatchObject({ state: 'consultation', round: 2 });
  });
});

describe('allowed events (“why can’t I act?”)', () => {
  it('answer every event for the caller, from the same rules the engine applies', async () => {
    const { id } = await r.newGuideline();
    const row = await guideline(id);
    const forOwner = await allowedEvents({ db: t.db, clock: r.clock }, row, actorOf(r.owner));
    expect(forOwner).toHaveLength(15);
    expect(
      forOwner
        .filter((e) => e.allowed)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['SUBMIT', 'WITHDRAW']);
    expect(forOwner.find((e) => e.type === 'OPEN_VOTE')?.reason).toBe(
      'only the secretariat may do this',
    );

    const forSecretariat = await allowedEvents(
      { db: t.db, clock: r.clock },
      row,
      actorOf(r.secretariat),
    );
    expect(forSecretariat.find((e) => e.type === 'OPEN_VOTE')).toEqual({
      type: 'OPEN_VOTE',
      allowed: false,
      reason: 'OPEN_VOTE is not possible while the guideline is in drafting',
    });

    await openConsultation(r, id);
    await statePositions(r, id, { workers: 'oppose' });
    const inConsultation = await guideline(id);
    const forSpokesperson = await allowedEvents(
      { db: t.db, clock: r.clock },
      inConsultation,
      actorOf(r.spokesperson('workers')),
    );
    expect(forSpokesperson.find((e) => e.type === 'SUBMIT_POSITION')?.reason).toBe(
      'the workers group has already stated its position in round 1',
    );
    const forGovernment = await allowedEvents(
      { db: t.db, clock: r.clock },
      inConsultation,
      actorOf(r.spokesperson('government')),
    );
    expect(forGovernment.find((e) => e.type === 'SUBMIT_POSITION')).toEqual({
      type: 'SUBMIT_POSITION',
      allowed: true,
    });
    const close = (
      await allowedEvents({ db: t.db, clock: r.clock }, inConsultation, actorOf(r.secretariat))
    ).find((e) => e.type === 'CLOSE_CONSULTATION');
    expect(close?.reason).toMatch(/government and employers groups is still awaited/);
  });
});

describe('a guideline changed by someone else meanwhile', () => {
  // The engine decides an event on the row it committed last, without reading it again. Another
  // process (here: another handle on the same database, with a memory of its own) or a change by
  // hand must never be overwritten or misreported because of that.
  const otherProcess = () => {
    const db = t.db.withoutPlugins();
    return (id: string, command: GuidelineCommand, by: User, expectedVersion?: number) =>
      applyEvent({ db, clock: r.clock }, id, command, actorOf(by), { expectedVersion });
  };

  it('answers as the row is when another process has moved it since', async () => {
    const { id } = await r.newGuideline();
    const other = otherProcess();
    await r.act(id, { type: 'SUBMIT' }, r.owner, 1);
    const back = { type: 'RETURN_TO_DRAFTER', reason: 'Cite C181.' } as const;
    await other(id, back, r.secretariat, 2);
    // Here the guideline is at version 3, in drafting, whatever this process last saw.
    await refused(r.act(id, back, r.secretariat, 2), VersionConflict);
    const submitted = await r.act(id, { type: 'SUBMIT' }, r.owner, 3);
    expect(submitted.guideline).toMatchObject({ state: 'secretariat_check', version: 4 });
    await other(id, back, r.secretariat, 4);
    // Without a version: decided on the old row, the write finds the row moved and the engine
    // decides again on the row as it is (drafting, which takes no RETURN_TO_DRAFTER).
    const before = await footprint(id);
    await refused(r.act(id, back, r.secretariat), EventNotAllowed);
    expect(await footprint(id)).toEqual(before);
    expect(before.row).toMatchObject({ state: 'drafting', version: 5, audit_seq: 5 });
    expect((await verifyAuditChains(t.db, [`guideline:${id}`])).ok).toBe(true);
  });

  it('never overwrites a change made by hand, even one that left the version as it was', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    await t.db
      .updateTable('guidelines')
      .set({ machine_version: 99 })
      .where('id', '=', id)
      .execute();
    await refused(
      r.act(id, { type: 'RETURN_TO_DRAFTER', reason: 'Cite C181.' }, r.secretariat),
      UnsupportedMachineVersion,
    );
    expect(await guideline(id)).toMatchObject({ machine_version: 99, version: 2 });
  });

  it('gives back each row exactly as stored, and nothing of its own bookkeeping', async () => {
    const { id } = await r.newGuideline();
    const steps: [GuidelineCommand, User][] = [
      [{ type: 'SUBMIT' }, r.owner],
      [{ type: 'RETURN_TO_DRAFTER', reason: 'Cite C181.' }, r.secretariat],
      [{ type: 'SUBMIT' }, r.owner],
      [{ type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat],
      [{ type: 'CLOSE_CONSULTATION' }, r.secretariat],
    ];
    for (const [command, by] of steps) {
      r.clock.advance(61); // so that every event leaves its own time on the row
      const applied = await r.act(id, command, by).catch(() => null);
      if (!applied) continue; // a refusal (consultation cannot close yet) returns no row
      expect(Object.keys(applied).sort()).toEqual([
        'fromState',
        'guideline',
        'notified',
        'snapshot',
        'toState',
      ]);
      expect(applied.guideline, command.type).toStrictEqual(await guideline(id));
    }
    expect(await guideline(id)).toMatchObject({ state: 'consultation', version: 5 });
  });
});

describe('stored snapshots', () => {
  it('a snapshot of an unknown machine version is refused clearly, not run', async () => {
    const { id } = await r.newGuideline();
    await t.db
      .updateTable('guidelines')
      .set({ machine_version: 99 })
      .where('id', '=', id)
      .execute();
    const error = await refused(r.act(id, { type: 'SUBMIT' }, r.owner), UnsupportedMachineVersion);
    expect(error.message).toMatch(/workflow version 99/);
  });
});
