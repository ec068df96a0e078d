import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { createPdfRenderer } from '../../src/dossier/render-pdf.js';
import { boundedWork } from '../../src/workflow/bounded-work.js';
import { buildDossier } from '../../src/workflow/dossier/build-dossier.js';
import {
  describeOnPostgres,
  freshDatabase,
  needsPostgres,
  type TestDatabase,
} from '../helpers/database.js';
import { frozenClock, insertUser } from '../helpers/factories.js';

// Two API processes building the same session's dossier at once: one version, not two.

let t: TestDatabase;
let other: { db: Kysely<Database>; close: () => Promise<void> };
const pdf = createPdfRenderer();
const textWork = boundedWork();

describeOnPostgres(`concurrent dossier builds (${needsPostgres})`, () => {
  beforeAll(async () => {
    t = await freshDatabase();
    other = await openDatabase(t.target);
  });
  afterAll(async () => {
    await pdf.close();
    await textWork.close();
    await other?.close();
    await t?.close();
  });

  it('two builds of an unchanged session at the same moment make one version', async () => {
    const secretariat = await insertUser(t.db, { role: 'secretariat' });
    const session = await t.db
      .insertInto('gb_sessions')
      .values({
        number: 310,
        name: '310th Session',
        starts_at: '2011-03-10T09:00:00Z',
        ends_at: '2011-03-25T17:00:00Z',
        document_deadline: '2011-03-12T17:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const clock = frozenClock('2011-03-01T09:00:00Z');
    const results = await Promise.all(
      [t.db, other.db].map((db) =>
        buildDossier(
          { db, clock, pdf, textWork },
          session.id,
          { symbol: 'GB.310/ESP/1' },
          secretariat,
        ),
      ),
    );
    expect(results.map((r) => r.version.number)).toEqual([1, 1]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    const versions = await t.db
      .selectFrom('dossier_versions')
      .select(['number', 'symbol'])
      .execute();
    expect(versions).toEqual([{ number: 1, symbol: 'GB.310/ESP/1' }]);
    const audit = await t.db
      .selectFrom('audit_entries')
      .select('event_type')
      .where('chain', '=', `gb-session:${session.id}`)
      .execute();
    expect(audit).toEqual([{ event_type: 'BUILD_DOSSIER' }]);
  });
});
