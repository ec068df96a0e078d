import type { Kysely } from 'kysely';
import {
  type CommentCursor,
  type CommentFilter,
  type CommentRow,
  findComment,
  listComments,
} from '../db/comment-list.js';
import type { Account, Database } from '../db/schema.js';
import { GuidelineNotFound, RecordNotFound } from './errors.js';
import { visibleGuideline } from './visible-guideline.js';

// Comments as readers see them: those of a guideline the reader may see, and no others. A comment
// on a guideline hidden from the reader is "not found", like the guideline itself.

export async function guidelineComments(
  db: Kysely<Database>,
  reader: Account,
  guidelineId: string,
  filter: CommentFilter,
  page: { limit: number; after?: CommentCursor | undefined },
) {
  const guideline = await visibleGuideline(db, reader, guidelineId);
  return listComments(db, guideline.id, filter, page);
}

export async function readComment(
  db: Kysely<Database>,
  reader: Account,
  commentId: string,
): Promise<CommentRow> {
  const comment = await findComment(db, commentId);
  if (!comment) throw new RecordNotFound('comment');
  await visibleGuideline(db, reader, comment.guideline_id).catch((error: unknown) => {
    throw error instanceof GuidelineNotFound ? new RecordNotFound('comment') : error;
  });
  return comment;
}
