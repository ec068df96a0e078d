import type { Kysely } from 'kysely';
import type { Database, GuidelineRow } from '../db/schema.js';

// The disposition table of a round (SPEC section 4): every comment of the round, not the replies,
// in the order of the text, with the drafter's answer. Part of the record and of the dossier.

const excerptLength = 200;

export async function dispositionTable(
  db: Kysely<Database>,
  guideline: Pick<GuidelineRow, 'id'>,
  round: number,
) {
  const rows = await db
    .selectFrom('comments')
    .select([
      'id',
      'author_group',
      'author_role',
      'anchor_paragraph',
      'body',
      'disposition',
      'disposition_note',
    ])
    .where('guideline_id', '=', guideline.id)
    .where('round', '=', round)
    .where('parent_id', 'is', null)
    .orderBy('anchor_paragraph', (ob) => ob.asc().nullsLast())
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((c) => ({
    commentId: c.id,
    authorGroup: c.author_group,
    authorRole: c.author_role,
    paragraph: c.anchor_paragraph,
    excerpt: c.body.length > excerptLength ? `${c.body.slice(0, excerptLength - 1)}…` : c.body,
    disposition: c.disposition,
    note: c.disposition_note,
  }));
}
