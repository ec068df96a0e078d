import type { Kysely } from 'kysely';
import { findGbSession } from '../db/gb-sessions.js';
import type { Database, GbSession, Meeting } from '../db/schema.js';
import { RecordNotFound } from './errors.js';

// Meetings of experts and Governing Body sessions as readers see them.

export interface MeetingRecord {
  meeting: Meeting;
  framework: string;
  memberIds: string[];
}

async function withMembers(db: Kysely<Database>, meeting: Meeting): Promise<MeetingRecord> {
  const [framework, members] = await Promise.all([
    db
      .selectFrom('frameworks')
      .select('slug')
      .where('id', '=', meeting.framework_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('meeting_members')
      .select('user_id')
      .where('meeting_id', '=', meeting.id)
      .orderBy('user_id')
      .execute(),
  ]);
  return { meeting, framework: framework.slug, memberIds: members.map((m) => m.user_id) };
}

/** Every meeting, latest first, each with its framework and members. */
export async function listMeetings(db: Kysely<Database>): Promise<MeetingRecord[]> {
  const meetings = await db
    .selectFrom('meetings')
    .selectAll()
    .orderBy('starts_at', 'desc')
    .orderBy('id')
    .execute();
  return Promise.all(meetings.map((m) => withMembers(db, m)));
}

export async function meetingRecord(
  db: Kysely<Database>,
  idOrMeeting: string | Meeting,
): Promise<MeetingRecord> {
  if (typeof idOrMeeting !== 'string') return withMembers(db, idOrMeeting);
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', idOrMeeting)
    .executeTakeFirst();
  if (!meeting) throw new RecordNotFound('meeting');
  return withMembers(db, meeting);
}

export { listGbSessions } from '../db/gb-sessions.js';

export async function gbSessionById(db: Kysely<Database>, id: string): Promise<GbSession> {
  const session = await findGbSession(db, id);
  if (!session) throw new RecordNotFound('Governing Body session');
  return session;
}
