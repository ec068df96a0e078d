import { afterAll, beforeAll } from 'vitest';
import { startApi, type TestApi } from './api.js';
import { freshDatabase, type TestDatabase } from './database.js';
import { type Review, setUpReview } from './review.js';

export interface ReviewApi {
  t: TestDatabase;
  api: TestApi;
  r: Review;
}

/**
 * A database of the file's own, the API serving it, and a review ready to run (see setUpReview), made
 * before the file's tests and closed after them. The setup is handed over once it exists.
 */
export function useReviewApi(receive: (setup: ReviewApi) => void): void {
  let setup: ReviewApi | undefined;
  beforeAll(async () => {
    const t = await freshDatabase();
    const api = await startApi(t.db);
    setup = { t, api, r: await setUpReview(t.db) };
    receive(setup);
  });
  afterAll(async () => {
    await setup?.api.close();
    await setup?.t.close();
  });
}
