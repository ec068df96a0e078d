import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../src/api/server.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { startApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';

describe('health and readiness', () => {
  let t: TestDatabase;
  let web: WebServer;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    web = await startApi(t.db);
  });
  afterAll(async () => {
    await web.close();
    await t.close();
  });

  it('is live before the schema exists, but not ready until migrations are applied', async () => {
    const live = await fetch(`${web.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });

    const notReady = await fetch(`${web.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await notReady.json()).toMatchObject({
      status: 503,
      code: 'not_ready',
      pendingMigrations: Object.keys(migrations),
    });

    await migrateToLatest(t.db);
    const ready = await fetch(`${web.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      database: 'reachable',
      migrations: 'applied',
    });
  });

  it('answers an unknown route with a problem document, not an HTML page', async () => {
    const response = await fetch(`${web.url}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      code: 'not_found',
      instance: '/api/v1/nothing-here',
    });
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('reports the database as unreachable when it is gone', async () => {
    const gone = await freshDatabase();
    const other = await startApi(gone.db);
    try {
      await gone.close();
      const response = await fetch(`${other.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        code: 'not_ready',
        detail: 'The database cannot be reached.',
      });
    } finally {
      await other.close();
    }
  });
});
