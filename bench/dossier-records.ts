import type { Kysely } from 'kysely';
import type { Clock } from '../src/clock.js';
import type { Database } from '../src/db/schema.js';
import { groups } from '../src/domain/vocabulary.js';
import { createGuideline } from '../src/workflow/create-guideline.js';

// A stored Governing Body session for the dossier benchmark: guidelines already submitted to it,
// two revisions each, the groups' positions in two rounds and disposed comments. Rows are written
// directly (the workflow's own speed is measured elsewhere): this is about reading and building.

const paragraph = (g: number, p: number, revised: boolean) =>
  `Member States should ${revised ? 'effectively ' : ''}regulate recruitment (guideline ${g}, ` +
  `paragraph ${p}), with the social partners, in line with Convention No. 181: no fees to ` +
  'workers, contrats écrits, protección de los trabajadores.';

export async function storedSession(
  db: Kysely<Database>,
  clock: Clock,
  size: { guidelines: number; comments: number },
): Promise<{ sessionId: string; secretariatId: string }> {
  const user = (
    role: 'drafter' | 'expert' | 'secretariat',
    group: (typeof groups)[number] | null,
  ) =>
    db
      .insertInto('users')
      .values({
        email: `${role}-${group ?? 'x'}-${Math.random()}@example.org`,
        name: role,
        role,
        group,
        password_hash: 'not-a-login',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const drafter = await user('drafter', null);
  const secretariat = await user('secretariat', null);
  const experts = await Promise.all(groups.map((g) => user('expert', g)));
  const section = await db.selectFrom('framework_sections').select('id').executeTakeFirstOrThrow();
  const session = await db
    .insertInto('gb_sessions')
    .values({
      number: 294,
      name: 'Governing Body, 294th Session',
      venue: 'Geneva',
      starts_at: '2005-11-03T08:00:00Z',
      ends_at: '2005-11-18T17:00:00Z',
      document_deadline: '2005-11-08T17:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const perGuideline = Math.ceil(size.comments / size.guidelines);
  for (let i = 0; i < size.guidelines; i++) {
    const text = (revised: boolean) =>
      Array.from({ length: 5 }, (_, p) => paragraph(i + 1, p + 1, revised && p % 2 === 0)).join(
        '\n\n',
      );
    const g = await createGuideline(db, clock, {
      ownerId: drafter.id,
      sectionId: section.id,
      title: `Regulating recruitment ${i + 1}`,
      text: text(false),
      references: ['C97', 'C181'],
    });
    const revisions = await db
      .insertInto('revisions')
      .values(
        [1, 2].map((n) => ({
          guideline_id: g.id,
          number: n,
          round: n,
          title: `Regulating recruitment ${i + 1}`,
          text: text(n === 2),
          references: JSON.stringify(['C97', 'C181']),
          created_by: drafter.id,
        })),
      )
      .returning(['id', 'number'])
      .execute();
    await db
      .updateTable('guidelines')
      .set({ state: 'submitted_to_gb', gb_session_id: session.id, text: text(true), round: 2 })
      .where('id', '=', g.id)
      .execute();
    await db
      .insertInto('positions')
      .values(
        [1, 2].flatMap((round) =>
          groups.map((group, k) => ({
            guideline_id: g.id,
            round,
            group,
            stance: round === 1 ? ('support_with_reservations' as const) : ('support' as const),
            statement: `The ${group} group's view in round ${round}.`,
            submitted_by: experts[k]!.id,
          })),
        ),
      )
      .execute();
    const revision1 = revisions.find((r) => r.number === 1)!.id;
    await db
      .insertInto('comments')
      .values(
        Array.from({ length: perGuideline }, (_, k) => ({
          guideline_id: g.id,
          revision_id: revision1,
          round: 1,
          author_id: experts[k % 3]!.id,
          author_role: 'expert' as const,
          author_group: groups[k % 3]!,
          body: `Comment ${k + 1}: the text should say more about fees and written contracts.`,
          disposition: (['accepted', 'partially_accepted', 'not_accepted', 'noted'] as const)[
            k % 4
          ]!,
          disposition_note: k % 4 === 2 ? 'Outside the scope of the framework.' : null,
          disposed_by: drafter.id,
          disposed_at: clock.now(),
        })),
      )
      .execute();
  }
  return { sessionId: session.id, secretariatId: secretariat.id };
}
