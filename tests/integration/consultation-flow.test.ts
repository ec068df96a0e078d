import { expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { groups } from '../../src/domain/vocabulary.js';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import type { Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// One guideline through a whole tripartite review, every step a request to the API: comments and
// replies, the three positions, a vote that fails, revision with a disposition for each comment,
// resubmission with re-located anchors, a second round, and consensus.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

async function ok<T = Record<string, unknown>>(
  response: Promise<Response>,
  status = 200,
): Promise<T> {
  const answer = await response;
  const body = await answer.text();
  expect(answer.status, body).toBe(status);
  return JSON.parse(body) as T;
}

it('carries a guideline from draft through two rounds to consensus, all through the API', async () => {
  let etag = '';
  const event = async (as: User, body: Record<string, unknown>, status = 200) => {
    const answer = await call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
      as,
      body,
      headers: { 'if-match': etag },
    });
    const text = await answer.text();
    expect(answer.status, text).toBe(status);
    if (status === 200) etag = answer.headers.get('etag') as string;
    return JSON.parse(text) as { state: string; round: number; detail?: string };
  };

  const created = await call(api, 'POST', '/api/v1/guidelines', {
    as: r.owner,
    body: {
      title: 'Fair recruitment',
      section: 'protection',
      text: [
        'Governments should license private recruitment agencies.',
        'No fees should be charged to migrant workers for recruitment.',
        'Contracts should be in a language the worker understands.',
      ].join('\n\n'),
      references: ['C181'],
    },
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  etag = created.headers.get('etag') as string;

  expect((await event(r.owner, { type: 'SUBMIT' })).state).toBe('secretariat_check');
  expect(
    (await event(r.secretariat, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId })).state,
  ).toBe('consultation');

  // Round 1: comments, a reply, the three positions.
  const workersExpert = r.experts.workers[1] as User;
  const onFees = await ok<{ id: string }>(
    call(api, 'POST', `/api/v1/guidelines/${id}/comments`, {
      as: workersExpert,
      body: {
        body: 'Say "directly or indirectly".',
        anchor: { paragraph: 2, exact: 'No fees should be charged' },
      },
    }),
    201,
  );
  const onLicensing = await ok<{ id: string }>(
    call(api, 'POST', `/api/v1/guidelines/${id}/comments`, {
      as: r.observer,
      body: {
        body: 'Licensing alone is not enough.',
        anchor: { paragraph: 1, exact: 'license private recruitment agencies' },
      },
    }),
    201,
  );
  await ok(
    call(api, 'POST', `/api/v1/comments/${onFees.id}/replies`, {
      as: r.owner,
      body: { body: 'Noted, will revise.' },
    }),
    201,
  );
  const stances = {
    government: 'support',
    employers: 'oppose',
    workers: 'support_with_reservations',
  } as const;
  for (const g of groups) {
    await ok(
      call(api, 'POST', `/api/v1/guidelines/${id}/positions`, {
        as: r.spokesperson(g),
        body: { stance: stances[g], statement: `The ${g} group's view.` },
      }),
      201,
    );
  }
  etag = (await call(api, 'GET', `/api/v1/guidelines/${id}`, { as: r.secretariat })).headers.get(
    'etag',
  ) as string;
  expect((await event(r.secretariat, { type: 'CLOSE_CONSULTATION' })).state).toBe('deliberation');
  const noConsensus = await event(
    r.secretariat,
    { type: 'RECORD_CONSENSUS', summary: 'Agreed.' },
    422,
  );
  expect(noConsensus.detail).toContain('employers');

  // A vote that fails: the employers and half the government vote no.
  expect((await event(r.secretariat, { type: 'OPEN_VOTE' })).state).toBe('voting');
  for (const g of groups) {
    for (const [i, expert] of r.experts[g].entries()) {
      const choice = g === 'employers' || (g === 'government' && i === 1) ? 'no' : 'yes';
      await ok(call(api, 'PUT', `/api/v1/guidelines/${id}/vote`, { as: expert, body: { choice } }));
    }
  }
  const closed = await event(r.secretariat, { type: 'CLOSE_VOTE' });
  expect(closed).toMatchObject({ state: 'revision', round: 1 });
  const tally = await ok<{ result: string }>(
    call(api, 'GET', `/api/v1/guidelines/${id}/tally`, { as: workersExpert }),
  );
  expect(tally.result).toBe('failed');

  // Revision: the text changes, each comment gets its disposition, then resubmission.
  const revised = [
    'Governments should license and supervise private recruitment agencies.',
    'Contracts should be in a language the worker understands.',
    'No fees should be charged to migrant workers, directly or indirectly.',
  ].join('\n\n');
  const edited = await call(api, 'PUT', `/api/v1/guidelines/${id}/text`, {
    as: r.owner,
    body: { text: revised },
    headers: { 'if-match': etag },
  });
  expect(edited.status).toBe(200);
  etag = edited.headers.get('etag') as string;
  const refused = await event(r.owner, { type: 'RESUBMIT' }, 422);
  expect(refused.detail).toBe('2 comments of round 1 still have no disposition');
  await ok(
    call(api, 'PUT', `/api/v1/comments/${onFees.id}/disposition`, {
      as: r.owner,
      body: { disposition: 'accepted' },
    }),
  );
  await ok(
    call(api, 'PUT', `/api/v1/comments/${onLicensing.id}/disposition`, {
      as: r.owner,
      body: { disposition: 'partially_accepted', note: 'Supervision added.' },
    }),
  );
  expect(await event(r.owner, { type: 'RESUBMIT' })).toMatchObject({
    state: 'consultation',
    round: 2,
  });

  const diff = await ok<{ html: string }>(
    call(api, 'GET', `/api/v1/guidelines/${id}/diff?from=1&to=2`, { as: r.observer }),
  );
  expect(diff.html).toMatch(/<ins>[^<]*supervise[^<]*<\/ins>/);
  const comments = await ok<{
    items: { id: string; anchorStatus: string | null; currentParagraph: number | null }[];
  }>(call(api, 'GET', `/api/v1/guidelines/${id}/comments?round=1`, { as: r.observer }));
  const fees = comments.items.find((c) => c.id === onFees.id);
  expect(fees).toMatchObject({ anchorStatus: 'relocated', currentParagraph: 3 });
  const licensing = comments.items.find((c) => c.id === onLicensing.id);
  expect(licensing).toMatchObject({ anchorStatus: 'orphaned' });

  // Round 2: everyone supports; consensus.
  for (const g of groups) {
    await ok(
      call(api, 'POST', `/api/v1/guidelines/${id}/positions`, {
        as: r.spokesperson(g),
        body: { stance: 'support', statement: `The ${g} group supports the revised text.` },
      }),
      201,
    );
  }
  const positions = await ok<{ items: { round: number; sealed: boolean }[] }>(
    call(api, 'GET', `/api/v1/guidelines/${id}/positions`, { as: r.owner }),
  );
  expect(positions.items.map((p) => [p.round, p.sealed])).toEqual([
    [2, false],
    [2, false],
    [2, false],
  ]);
  etag = (await call(api, 'GET', `/api/v1/guidelines/${id}`, { as: r.secretariat })).headers.get(
    'etag',
  ) as string;
  await event(r.secretariat, { type: 'CLOSE_CONSULTATION' });
  expect(
    await event(r.secretariat, {
      type: 'RECORD_CONSENSUS',
      summary: 'Adopted by consensus in the second round.',
    }),
  ).toMatchObject({ state: 'adopted', round: 2 });

  const history = await ok<{ items: { event: string }[] }>(
    call(api, 'GET', `/api/v1/guidelines/${id}/history?limit=100`, { as: r.observer }),
  );
  expect(history.items.map((e) => e.event)).toEqual(
    expect.arrayContaining(['CLOSE_VOTE', 'DISPOSE_COMMENT', 'RESUBMIT', 'RECORD_CONSENSUS']),
  );
  expect((await verifyAuditChains(t.db, [`guideline:${id}`])).ok).toBe(true);
});
