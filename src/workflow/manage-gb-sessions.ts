import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, GbSession, User } from '../db/schema.js';
import type { DossierOptions } from '../domain/dossier/records.js';
import { RecordConflict, RecordNotFound } from './errors.js';
import { auditRecordChange } from './record-audit.js';
import { scheduleGbSession } from './timers.js';

export interface NewGbSession {
  number: number;
  name: string;
  venue?: string | undefined;
  startsAt: Date;
  endsAt: Date;
  documentDeadline: Date;
  /** How its paper is headed where a build does not say. */
  paper?: Partial<DossierOptions> | undefined;
}

export async function createGbSession(
  deps: { db: Kysely<Database>; clock: Clock },
  input: NewGbSession,
  by: Pick<User, 'id' | 'role'>,
): Promise<GbSession> {
  return deps.db.transaction().execute(async (trx) => {
    const session = await trx
      .insertInto('gb_sessions')
      .values({
        number: input.number,
        name: input.name,
        venue: input.venue ?? null,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        document_deadline: input.documentDeadline,
        paper: JSON.stringify(input.paper ?? {}),
      })
      .onConflict((oc) => oc.column('number').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!session) {
      throw new RecordConflict(`There is already a Governing Body session number ${input.number}.`);
    }
    await auditRecordChange(trx, {
      kind: 'gb-session',
      id: session.id,
      by,
      eventType: 'GB_SESSION_CREATED',
      payload: { ...input },
      at: deps.clock.now(),
    });
    await scheduleGbSession(
      trx,
      { id: session.id, documentDeadline: new Date(session.document_deadline) },
      deps.clock.now(),
    );
    return session;
  });
}

/**
 * Changes how a session's paper is headed: the fields given replace the session's own, and builds
 * after it are headed by them where their request does not say otherwise.
 */
export async function updateGbSessionPaper(
  deps: { db: Kysely<Database>; clock: Clock },
  sessionId: string,
  paper: Partial<DossierOptions>,
  by: Pick<User, 'id' | 'role'>,
): Promise<GbSession> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('gb_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new RecordNotFound('Governing Body session');
    const next = { ...current.paper, ...paper };
    const session = await trx
      .updateTable('gb_sessions')
      .set({ paper: JSON.stringify(next) })
      .where('id', '=', sessionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditRecordChange(trx, {
      kind: 'gb-session',
      id: session.id,
      by,
      eventType: 'GB_SESSION_PAPER_CHANGED',
      payload: { paper: next },
      at: deps.clock.now(),
    });
    return session;
  });
}
