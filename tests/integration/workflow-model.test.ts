import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { type Review, setUpReview } from '../helpers/review.js';
import { MAX_ROUNDS } from '../model/alphabet.js';
import { describePath, replay } from '../model/driver.js';
import { coveringPaths, edgePaths, shortestPaths, simplePaths } from '../model/paths.js';

// Model-based: paths generated from the statechart with xstate/graph, each replayed through the
// engine against the database. Shortest paths reach every state; a covering subset of the simple
// paths and of the one-step-further paths takes every edge of the graph.

let t: TestDatabase;
let review: Review;
const replayed: string[] = [];
beforeAll(async () => {
  t = await freshDatabase();
  review = await setUpReview(t.db, {
    maxRounds: MAX_ROUNDS,
    checkReturnedRows: true,
    meeting: {
      consultation_deadline: '2006-01-01T00:00:00Z',
      vote_deadline: '2006-01-01T00:00:00Z',
    },
  });
});
afterAll(() => t.close());

describe('every state, by its shortest path through the engine', () => {
  it.each(shortestPaths().map((p) => [describePath(p), p] as const))('%s', async (_name, path) => {
    replayed.push(await replay(review, path));
  });
});

describe('every edge, by a covering set of paths through the engine', () => {
  const paths = coveringPaths([...simplePaths(), ...edgePaths()]);
  it.each(paths.map((p) => [describePath(p), p] as const))('%s', async (_name, path) => {
    replayed.push(await replay(review, path));
  });
});

describe('after all the replays', () => {
  it('every guideline’s audit chain verifies', async () => {
    expect(replayed.length).toBeGreaterThan(60);
    const report = await verifyAuditChains(
      t.db,
      replayed.map((id) => `guideline:${id}`),
    );
    expect(report).toMatchObject({ ok: true, chains: replayed.length, firstBreak: null });
  });
});
