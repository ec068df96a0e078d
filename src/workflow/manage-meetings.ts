import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, Meeting, User } from '../db/schema.js';
import type {
  BallotKind,
  CommentAttribution,
  RequiredMajority,
  VotingRule,
} from '../domain/vocabulary.js';
import { RecordInvalid, RecordNotFound } from './errors.js';
import { auditRecordChange } from './record-audit.js';
import { rescheduleMeeting } from './timers.js';

type Deps = { db: Kysely<Database>; clock: Clock };
type By = Pick<User, 'id' | 'role'>;

export interface NewMeeting {
  framework?: string | undefined;
  name: string;
  venue?: string | undefined;
  startsAt: Date;
  endsAt: Date;
  votingRule: VotingRule;
  requiredMajority: RequiredMajority;
  quorum: number;
  requireEachGroup: boolean;
  ballot: BallotKind;
  commentAttribution?: CommentAttribution | undefined;
  maxRounds: number;
  consultationDeadline?: Date | undefined;
  voteDeadline?: Date | undefined;
  reminderOffsets?: string[] | undefined;
}

/** The framework a meeting reviews: the one named, or the only one there is. */
async function frameworkId(db: Kysely<Database>, slug: string | undefined): Promise<string> {
  const frameworks = await db.selectFrom('frameworks').select(['id', 'slug']).execute();
  const chosen = slug
    ? frameworks.find((f) => f.slug === slug)
    : frameworks.length === 1
      ? frameworks[0]
      : undefined;
  if (!chosen) {
    throw new RecordInvalid(
      'framework',
      slug ? `There is no framework "${slug}".` : 'Name the framework the meeting reviews.',
    );
  }
  return chosen.id;
}

export async function createMeeting(deps: Deps, input: NewMeeting, by: By): Promise<Meeting> {
  const framework_id = await frameworkId(deps.db, input.framework);
  return deps.db.transaction().execute(async (trx) => {
    const meeting = await trx
      .insertInto('meetings')
      .values({
        framework_id,
        name: input.name,
        venue: input.venue ?? null,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        voting_rule: input.votingRule,
        required_majority: input.requiredMajority,
        quorum: input.quorum,
        require_each_group: input.requireEachGroup,
        ballot: input.ballot,
        ...(input.commentAttribution ? { comment_attribution: input.commentAttribution } : {}),
        max_rounds: input.maxRounds,
        consultation_deadline: input.consultationDeadline ?? null,
        vote_deadline: input.voteDeadline ?? null,
        ...(input.reminderOffsets
          ? { reminder_offsets: JSON.stringify(input.reminderOffsets) }
          : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditRecordChange(trx, {
      kind: 'meeting',
      id: meeting.id,
      by,
      eventType: 'MEETING_CREATED',
      payload: { ...input },
      at: deps.clock.now(),
    });
    return meeting;
  });
}

/**
 * Replaces a meeting's members with the users given: active experts and observers. A vote already
 * open keeps the electorate frozen when it opened.
 */
export async function setMeetingMembers(
  deps: Deps,
  meetingId: string,
  userIds: readonly string[],
  by: By,
): Promise<string[]> {
  const wanted = [...new Set(userIds)];
  return deps.db.transaction().execute(async (trx) => {
    const meeting = await trx
      .selectFrom('meetings')
      .select('id')
      .where('id', '=', meetingId)
      .forUpdate()
      .executeTakeFirst();
    if (!meeting) throw new RecordNotFound('meeting');
    const found =
      wanted.length === 0
        ? []
        : await trx
            .selectFrom('users')
            .select(['id', 'role', 'active'])
            .where('id', 'in', wanted)
            .execute();
    const unfit = wanted.filter((id) => {
      const user = found.find((u) => u.id === id);
      if (!user?.active) return true;
      return user.role !== 'expert' && user.role !== 'observer';
    });
    if (unfit.length > 0) {
      throw new RecordInvalid(
        'userIds',
        `Members are active experts and observers; these are not: ${unfit.join(', ')}.`,
      );
    }
    const before = (
      await trx
        .selectFrom('meeting_members')
        .select('user_id')
        .where('meeting_id', '=', meetingId)
        .execute()
    ).map((m) => m.user_id);
    const added = wanted.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !wanted.includes(id));
    if (removed.length > 0) {
      await trx
        .deleteFrom('meeting_members')
        .where('meeting_id', '=', meetingId)
        .where('user_id', 'in', removed)
        .execute();
    }
    if (added.length > 0) {
      await trx
        .insertInto('meeting_members')
        .values(added.map((user_id) => ({ meeting_id: meetingId, user_id })))
        .execute();
    }
    await auditRecordChange(trx, {
      kind: 'meeting',
      id: meetingId,
      by,
      eventType: 'MEETING_MEMBERS_SET',
      payload: { added, removed },
      at: deps.clock.now(),
    });
    return wanted;
  });
}

export interface MeetingChanges {
  name?: string | undefined;
  venue?: string | null | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  votingRule?: VotingRule | undefined;
  requiredMajority?: RequiredMajority | undefined;
  quorum?: number | undefined;
  requireEachGroup?: boolean | undefined;
  ballot?: BallotKind | undefined;
  commentAttribution?: CommentAttribution | undefined;
  maxRounds?: number | undefined;
  consultationDeadline?: Date | null | undefined;
  voteDeadline?: Date | null | undefined;
  reminderOffsets?: string[] | undefined;
  /** Closing a meeting stops it taking guidelines for review; reopening is allowed. */
  closed?: boolean | undefined;
}

/**
 * Changes a meeting: dates, deadlines, rules, or whether it is closed. A vote already open keeps the
 * rules it was opened with (they were copied into it); the change applies to votes opened later.
 */
export async function updateMeeting(
  deps: Deps,
  meetingId: string,
  changes: MeetingChanges,
  by: By,
): Promise<Meeting> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', meetingId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new RecordNotFound('meeting');
    const startsAt = changes.startsAt ?? current.starts_at;
    const endsAt = changes.endsAt ?? current.ends_at;
    if (endsAt < startsAt)
      throw new RecordInvalid('endsAt', 'the meeting would end before it starts');
    const now = deps.clock.now();
    const { closed, ...rest } = changes;
    const meeting = await trx
      .updateTable('meetings')
      .set({
        ...(rest.name !== undefined ? { name: rest.name } : {}),
        ...(rest.venue !== undefined ? { venue: rest.venue } : {}),
        starts_at: startsAt,
        ends_at: endsAt,
        ...(rest.votingRule ? { voting_rule: rest.votingRule } : {}),
        ...(rest.requiredMajority ? { required_majority: rest.requiredMajority } : {}),
        ...(rest.quorum !== undefined ? { quorum: rest.quorum } : {}),
        ...(rest.requireEachGroup !== undefined
          ? { require_each_group: rest.requireEachGroup }
          : {}),
        ...(rest.ballot ? { ballot: rest.ballot } : {}),
        ...(rest.commentAttribution ? { comment_attribution: rest.commentAttribution } : {}),
        ...(rest.maxRounds !== undefined ? { max_rounds: rest.maxRounds } : {}),
        ...(rest.consultationDeadline !== undefined
          ? { consultation_deadline: rest.consultationDeadline }
          : {}),
        ...(rest.voteDeadline !== undefined ? { vote_deadline: rest.voteDeadline } : {}),
        ...(rest.reminderOffsets !== undefined
          ? { reminder_offsets: JSON.stringify(rest.reminderOffsets) }
          : {}),
        ...(closed === undefined ? {} : { closed_at: closed ? (current.closed_at ?? now) : null }),
      })
      .where('id', '=', meetingId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditRecordChange(trx, {
      kind: 'meeting',
      id: meetingId,
      by,
      eventType: 'MEETING_UPDATED',
      payload: { ...changes },
      at: now,
    });
    // Timers follow the meeting: a moved deadline or new offsets rewrite its open stages' timers.
    if (
      rest.consultationDeadline !== undefined ||
      rest.voteDeadline !== undefined ||
      rest.reminderOffsets !== undefined
    ) {
      await rescheduleMeeting(trx, meetingId, now);
    }
    return meeting;
  });
}
