import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import type { Group } from '../src/domain/vocabulary.js';
import { applyEvent } from '../src/workflow/apply-event.js';
import { createGuideline } from '../src/workflow/create-guideline.js';
import {
  type ApiProcess,
  cpuSeconds,
  machineBusySeconds,
  quantile,
  request,
  startApiProcess,
  stopApiProcess,
  tokenOf,
} from './api-process.js';
import { benchPassword, benchSeconds, createBenchDatabase } from './fixture.js';

// Comments through HTTP on PostgreSQL: 32 experts posting at once to one guideline in consultation
// (half of the comments anchored to a quote), then — with BENCH_COMMENTS (1,000,000) comments on
// that guideline — the latency of listing one page filtered by group and by paragraph, first pages
// and pages deep in the list. Prints figures; asserts nothing.
//
//   npm run bench:comments             (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else local)
//   BENCH_SECONDS=15                   how long the experts post
//   BENCH_COMMENTS=1000000             comments on the guideline when pages are listed

const concurrency = 32;
const totalComments = Number(process.env.BENCH_COMMENTS ?? 1_000_000);
const paragraphs = [
  'Governments should license and supervise private recruitment agencies.',
  'No fees should be charged to migrant workers for recruitment, directly or indirectly.',
  'Contracts should be in a language the worker understands.',
];

const bench = await createBenchDatabase();
const { db } = bench;
const apis: ApiProcess[] = [];
try {
  const framework = await db.selectFrom('frameworks').select('id').executeTakeFirstOrThrow();
  const meeting = await db
    .insertInto('meetings')
    .values({
      framework_id: framework.id,
      name: 'Bench meeting',
      starts_at: '2005-10-31T08:00:00Z',
      ends_at: '2005-11-02T17:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const groupOf = (i: number): Group =>
    (['government', 'employers', 'workers'] as const)[i % 3] as Group;
  const experts = await db
    .insertInto('users')
    .values(
      Array.from({ length: concurrency }, (_, i) => ({
        email: `expert${i}@bench.example`,
        name: `Expert ${i}`,
        role: 'expert' as const,
        group: groupOf(i),
        spokesperson: i < 3,
        password_hash: bench.passwordHash,
      })),
    )
    .returningAll()
    .execute();
  await db
    .insertInto('meeting_members')
    .values(experts.map((e) => ({ meeting_id: meeting.id, user_id: e.id })))
    .execute();
  const section = await db.selectFrom('framework_sections').select('id').executeTakeFirstOrThrow();
  const guideline = await createGuideline(db, bench.clock, {
    ownerId: bench.owner.id,
    sectionId: section.id,
    title: 'Fair recruitment',
    text: paragraphs.join('\n\n'),
    references: ['C181'],
  });
  const as = (u: typeof bench.owner) => ({
    kind: 'user' as const,
    id: u.id,
    role: u.role,
    group: u.group,
    spokesperson: u.spokesperson,
  });
  await applyEvent(bench, guideline.id, { type: 'SUBMIT' }, as(bench.owner));
  await applyEvent(
    bench,
    guideline.id,
    { type: 'ACCEPT_FOR_REVIEW', meetingId: meeting.id },
    as(bench.secretariat),
  );

  apis.push(
    await startApiProcess(bench.url, { sockets: concurrency, poolSize: 20 }),
    await startApiProcess(bench.url, { sockets: concurrency, poolSize: 20 }),
  );
  const server = apis[0] as ApiProcess;
  const tokens = await Promise.all(experts.map((e) => tokenOf(server, e.email, benchPassword)));
  console.log(
    `Guideline Review Engine — comments benchmark\nPostgreSQL ${bench.version}; ${concurrency} experts posting to one guideline in consultation for ${benchSeconds} s`,
  );

  const post = async (using: readonly ApiProcess[], worker: number, n: number) => {
    const paragraph = (n % 3) + 1;
    const body =
      n % 2 === 0
        ? { body: `Comment ${n} from expert ${worker}.` }
        : {
            body: `Comment ${n} from expert ${worker} on paragraph ${paragraph}.`,
            anchor: { paragraph, exact: (paragraphs[paragraph - 1] as string).slice(0, 24) },
          };
    const started = performance.now();
    const answer = await request(
      using[worker % using.length] as ApiProcess,
      'POST',
      `/api/v1/guidelines/${guideline.id}/comments`,
      { authorization: tokens[worker] as string },
      body,
    );
    if (answer.status !== 201)
      throw new Error(`comment refused (${answer.status}): ${answer.body}`);
    return performance.now() - started;
  };
  const postFor = async (ms: number, using: readonly ApiProcess[]) => {
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let n = 0; performance.now() - started < ms; n++) {
          latencies.push(await post(using, worker, n));
        }
      }),
    );
    return { latencies, seconds: (performance.now() - started) / 1000 };
  };
  await postFor(2000, apis); // warm-up
  for (const using of [apis.slice(0, 1), apis]) {
    const cpuBefore = cpuSeconds(using);
    const machineBefore = machineBusySeconds();
    const posted = await postFor(benchSeconds * 1000, using);
    const apiCpu = (cpuSeconds(using) - cpuBefore) / posted.seconds;
    const machine = (machineBusySeconds() - machineBefore) / posted.seconds;
    console.log(
      `\nposting, ${using.length} API process${using.length > 1 ? 'es' : ''}: ${(posted.latencies.length / posted.seconds).toFixed(0)} comments/s at concurrency ${concurrency}; p50 ${quantile(posted.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(posted.latencies, 0.99).toFixed(1)} ms; API CPU ${(apiCpu * 100).toFixed(0)}% of a core, machine ${(machine * 100).toFixed(0)}% of ${availableParallelism() * 100}`,
    );
  }

  // Fill the guideline up to the total, straight into the table: a long consultation's worth.
  const existing = Number(
    (
      await db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('guideline_id', '=', guideline.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const missing = Math.max(0, totalComments - existing);
  const fillStarted = performance.now();
  const revision = await db
    .selectFrom('revisions')
    .select('id')
    .where('guideline_id', '=', guideline.id)
    .executeTakeFirstOrThrow();
  for (let from = 0; from < missing; from += 100_000) {
    const count = Math.min(100_000, missing - from);
    await sql`
      insert into comments (guideline_id, revision_id, round, author_id, author_role, author_group,
                            body, anchor, anchor_paragraph, anchor_status, created_at)
      select ${guideline.id}::uuid, ${revision.id}::uuid, 1, u.id, 'expert', u."group",
             'Bulk comment ' || n,
             case when n % 2 = 1 then jsonb_build_object('paragraph', 1 + n % 3, 'exact', 'x') end,
             case when n % 2 = 1 then 1 + n % 3 end,
             case when n % 2 = 1 then 'anchored' end,
             timestamptz '2005-10-10T00:00:00Z' + (${from}::int + n) * interval '1 millisecond'
      from generate_series(1, ${count}::int) as n
      join (select id, "group", (row_number() over (order by email)) - 1 as k
              from users where role = 'expert') u on u.k = n % ${concurrency}::int
    `.execute(db);
  }
  await sql`analyze comments`.execute(db);
  console.log(
    `\nfilled to ${(existing + missing).toLocaleString('en')} comments on the guideline in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s`,
  );

  const reader = tokens[0] as string;
  const page = async (query: string) => {
    const started = performance.now();
    const answer = await request(
      server,
      'GET',
      `/api/v1/guidelines/${guideline.id}/comments?${query}`,
      {
        authorization: reader,
      },
    );
    if (answer.status !== 200)
      throw new Error(`listing refused (${answer.status}): ${answer.body}`);
    return performance.now() - started;
  };
  // Cursors deep in each list: random comments of the filtered set, as a client paging would hold.
  const cursorsWhere = async (filter: 'group' | 'paragraph', samples: number) => {
    const rows = await sql<{ created_at: Date; id: string }>`
      select created_at, id from comments tablesample system (1)
      where guideline_id = ${guideline.id}::uuid
        and ${filter === 'group' ? sql`author_group = 'workers'` : sql`anchor_paragraph = 2`}
      limit ${samples}::int
    `.execute(db);
    return rows.rows.map((r) =>
      Buffer.from(JSON.stringify([r.created_at.toISOString(), r.id])).toString('base64url'),
    );
  };
  console.log('\nlisting one page of 50 (sequential requests; p50 / p99 over each set):');
  for (const [name, query, filter] of [
    ['by group', 'group=workers&limit=50', 'group'],
    ['by paragraph', 'paragraph=2&limit=50', 'paragraph'],
  ] as const) {
    for (let i = 0; i < 20; i++) await page(query); // warm-up
    const first: number[] = [];
    for (let i = 0; i < 300; i++) first.push(await page(query));
    const deep: number[] = [];
    for (const cursor of await cursorsWhere(filter, 300))
      deep.push(await page(`${query}&cursor=${cursor}`));
    console.log(
      `  ${name.padEnd(13)} first page p50 ${quantile(first, 0.5).toFixed(1)} ms, p99 ${quantile(first, 0.99).toFixed(1)} ms; deep pages (${deep.length}) p50 ${quantile(deep, 0.5).toFixed(1)} ms, p99 ${quantile(deep, 0.99).toFixed(1)} ms`,
    );
  }
} finally {
  for (const api of apis) await stopApiProcess(api);
  await bench.close();
}
