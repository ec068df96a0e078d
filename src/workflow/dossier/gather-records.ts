import type { Kysely } from 'kysely';
import { guidelineChain } from '../../db/audit.js';
import type { Database } from '../../db/schema.js';
import type {
  DossierOptions,
  DossierRecords,
  GuidelineRecord,
} from '../../domain/dossier/records.js';
import { RecordNotFound } from '../errors.js';
import { eventsWithEntry } from '../events/index.js';

// The records a session's dossier is made from, read in a handful of statements: the guidelines
// included in the session (or decided by it), and for each its revisions, positions, votes with
// their frozen weights and ballots, consensus, comments and the session's decisions.

/** The guidelines a paper for the session covers, in the order of the framework's sections. */
function sessionGuidelines(db: Kysely<Database>, sessionId: string) {
  return db
    .selectFrom('guidelines as g')
    .innerJoin('framework_sections as s', 's.id', 'g.section_id')
    .innerJoin('frameworks as f', 'f.id', 's.framework_id')
    .select([
      'g.id',
      'g.title',
      'g.state',
      'g.gb_session_id',
      'g.created_at',
      's.number as section_number',
      's.title as section_title',
      'f.title as framework_title',
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('g.gb_session_id', '=', sessionId),
          // Withdrawn while before the session: the paper says so rather than drop it in silence.
          eb('g.state', 'in', ['submitted_to_gb', 'approved', 'withdrawn']),
        ]),
        eb(
          'g.id',
          'in',
          eb
            .selectFrom('gb_decisions')
            .select('guideline_id')
            .where('gb_session_id', '=', sessionId),
        ),
      ]),
    )
    .orderBy('s.number')
    .orderBy('g.created_at')
    .orderBy('g.title')
    .orderBy('g.id')
    .execute();
}

export async function gatherDossierRecords(
  db: Kysely<Database>,
  sessionId: string,
): Promise<DossierRecords> {
  const session = await db
    .selectFrom('gb_sessions')
    .selectAll()
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!session) throw new RecordNotFound('Governing Body session');
  const rows = await sessionGuidelines(db, sessionId);
  const ids = rows.map((r) => r.id);
  const framework =
    rows[0]?.framework_title ??
    (await db.selectFrom('frameworks').select('title').orderBy('slug').executeTakeFirst())?.title ??
    'framework';
  if (ids.length === 0) {
    return { session: sessionRecord(session), frameworkTitle: framework, guidelines: [] };
  }
  const [revisions, freezes, positions, votes, weights, ballots, consensus, comments, decisions] =
    await Promise.all([
      db
        .selectFrom('revisions')
        .selectAll()
        .where('guideline_id', 'in', ids)
        .orderBy('number')
        .execute(),
      db
        .selectFrom('audit_entries')
        .select(['chain', 'seq', 'hash', 'guideline_id'])
        .where('chain', 'in', ids.map(guidelineChain))
        .where('event_type', 'in', eventsWithEntry('submission'))
        .orderBy('seq')
        .execute(),
      db.selectFrom('positions').selectAll().where('guideline_id', 'in', ids).execute(),
      db.selectFrom('votes').selectAll().where('guideline_id', 'in', ids).execute(),
      db.selectFrom('vote_weights').selectAll().where('guideline_id', 'in', ids).execute(),
      db.selectFrom('ballots').selectAll().where('guideline_id', 'in', ids).execute(),
      db.selectFrom('consensus_records').selectAll().where('guideline_id', 'in', ids).execute(),
      db
        .selectFrom('comments as c')
        .innerJoin('revisions as r', 'r.id', 'c.revision_id')
        .innerJoin('users as u', 'u.id', 'c.author_id')
        .innerJoin('guidelines as cg', 'cg.id', 'c.guideline_id')
        .leftJoin('meetings as m', 'm.id', 'cg.meeting_id')
        .selectAll('c')
        .select([
          'r.number as revision_number',
          'u.name as author_name',
          'u.organisation as author_organisation',
          'm.comment_attribution',
        ])
        .where('c.guideline_id', 'in', ids)
        .where('c.parent_id', 'is', null)
        .orderBy('c.created_at')
        .orderBy('c.id')
        .execute(),
      db
        .selectFrom('gb_decisions')
        .selectAll()
        .where('gb_session_id', '=', sessionId)
        .where('guideline_id', 'in', ids)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute(),
    ]);

  const guidelines = rows.map((g): GuidelineRecord => {
    // Each submit or resubmit froze the next revision: the k-th such entry is revision k.
    const frozen = freezes.filter((f) => f.guideline_id === g.id);
    const sameVote =
      (v: { round: number; number: number }) => (x: { round: number; vote_number: number }) =>
        x.round === v.round && x.vote_number === v.number;
    return {
      id: g.id,
      title: g.title,
      state: g.state,
      awaitingDecision: g.state === 'submitted_to_gb' && g.gb_session_id === sessionId,
      section: { number: g.section_number, title: g.section_title },
      revisions: revisions
        .filter((r) => r.guideline_id === g.id)
        .map((r) => {
          const entry = frozen[r.number - 1];
          return {
            number: r.number,
            round: r.round,
            title: r.title,
            text: r.text,
            references: r.references,
            createdAt: r.created_at,
            audit: entry ? { chain: entry.chain, seq: entry.seq, hash: entry.hash } : null,
          };
        }),
      positions: positions
        .filter((p) => p.guideline_id === g.id)
        .map((p) => ({
          round: p.round,
          group: p.group,
          stance: p.stance,
          statement: p.statement,
          submittedAt: p.submitted_at,
        })),
      votes: votes
        .filter((v) => v.guideline_id === g.id)
        .map((v) => ({
          round: v.round,
          number: v.number,
          rule: {
            votingRule: v.voting_rule,
            requiredMajority: v.required_majority,
            quorum: Number(v.quorum),
            requireEachGroup: v.require_each_group,
          },
          ballot: v.ballot,
          strength: v.strength,
          openedAt: v.opened_at,
          closedAt: v.closed_at,
          result: v.result,
          electors: weights
            .filter((w) => w.guideline_id === g.id && sameVote(v)(w))
            .map((w) => ({ voterId: w.voter_id, group: w.group, weight: w.weight }))
            .sort((a, b) => a.voterId.localeCompare(b.voterId)),
          ballots: ballots
            .filter((b) => b.guideline_id === g.id && sameVote(v)(b))
            .map((b) => ({ voterId: b.voter_id, choice: b.choice }))
            .sort((a, b) => a.voterId.localeCompare(b.voterId)),
        })),
      consensus: consensus
        .filter((c) => c.guideline_id === g.id)
        .map((c) => ({ round: c.round, summary: c.summary, recordedAt: c.recorded_at })),
      comments: comments
        .filter((c) => c.guideline_id === g.id)
        .map((c) => ({
          id: c.id,
          round: c.round,
          revision: c.revision_number,
          authorRole: c.author_role,
          authorGroup: c.author_group,
          ...(c.comment_attribution === 'name'
            ? { author: { name: c.author_name, organisation: c.author_organisation } }
            : {}),
          body: c.body,
          paragraph: c.anchor_paragraph,
          quote: c.anchor?.exact ?? null,
          proposedText: c.proposed_text,
          disposition: c.disposition,
          note: c.disposition_note,
          createdAt: c.created_at,
        })),
      decisions: decisions
        .filter((d) => d.guideline_id === g.id)
        .map((d) => ({
          decision: d.decision,
          instructions: d.instructions,
          recordedAt: d.recorded_at,
        })),
    };
  });
  return { session: sessionRecord(session), frameworkTitle: framework, guidelines };
}

const sessionRecord = (s: {
  id: string;
  number: number;
  name: string;
  venue: string | null;
  starts_at: Date;
  ends_at: Date;
  paper: Partial<DossierOptions>;
}) => ({
  id: s.id,
  number: s.number,
  name: s.name,
  venue: s.venue,
  startsAt: s.starts_at,
  endsAt: s.ends_at,
  paper: s.paper,
});
