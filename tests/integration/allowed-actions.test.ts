import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { bearer, problemOf, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { storedGuideline } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

interface Action {
  type: string;
  allowed: boolean;
  reason?: string;
}
const actionsOf = async (id: string, user: User) => {
  const response = await fetch(`${api.url}/api/v1/guidelines/${id}`, { headers: bearer(user) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { allowedActions: Action[] };
  return Object.fromEntries(body.allowedActions.map((a) => [a.type, a]));
};

describe('allowedActions: the "may I?" of editing, commenting, replying, disposing and voting', () => {
  it('tells each caller what they may do in drafting and in consultation, and the routes agree', async () => {
    const { id } = await r.newGuideline();
    const drafting = await actionsOf(id, r.owner);
    expect(drafting.EDIT_TEXT).toEqual({ type: 'EDIT_TEXT', allowed: true });
    expect(drafting.COMMENT?.allowed).toBe(false);

    await openConsultation(r, id);
    const expert = r.experts.workers[1] as User;
    const owner = await actionsOf(id, r.owner);
    const forExpert = await actionsOf(id, expert);
    const forObserver = await actionsOf(id, r.observer);
    expect(forExpert.COMMENT).toEqual({ type: 'COMMENT', allowed: true });
    expect(forObserver.COMMENT).toEqual({ type: 'COMMENT', allowed: true });
    expect(forExpert.VOTE?.allowed).toBe(false);
    expect(owner.EDIT_TEXT?.allowed).toBe(false);
    expect(owner.EDIT_TEXT?.reason).toBeTruthy();

    // What the list refuses, the route refuses, and nothing changes.
    const before = await storedGuideline(t.db, id);
    const edit = await fetch(`${api.url}/api/v1/guidelines/${id}/text`, {
      method: 'PUT',
      headers: { ...bearer(r.owner), 'content-type': 'application/json', 'if-match': '"3"' },
      body: JSON.stringify({ text: 'A new text in consultation.' }),
    });
    expect(edit.status).toBeGreaterThanOrEqual(400);
    expect(edit.status).toBeLessThan(500);
    expect(String((await problemOf(edit)).detail)).toContain(owner.EDIT_TEXT?.reason as string);
    expect((await storedGuideline(t.db, id)).text).toBe(before.text);

    // What the list allows, the route does.
    const comment = await fetch(`${api.url}/api/v1/guidelines/${id}/comments`, {
      method: 'POST',
      headers: { ...bearer(expert), 'content-type': 'application/json' },
      body: JSON.stringify({
        body: 'Name the recruitment fees that are never charged to workers.',
      }),
    });
    expect(comment.status).toBe(201);
  });

  it('GET /workflow shows in which states each action is possible', async () => {
    const response = await fetch(`${api.url}/api/v1/workflow`, { headers: bearer(r.owner) });
    const chart = (await response.json()) as {
      actions: { type: string; states: string[] }[];
    };
    const statesOf = (type: string) => chart.actions.find((a) => a.type === type)?.states ?? [];
    expect(statesOf('EDIT_TEXT')).toEqual(expect.arrayContaining(['drafting', 'revision']));
    expect(statesOf('EDIT_TEXT')).not.toContain('consultation');
    expect(statesOf('VOTE')).toEqual(['voting']);
    expect(statesOf('DISPOSE_COMMENT')).toEqual(['revision']);
    expect(statesOf('COMMENT')).toContain('consultation');
  });
});
