import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readChain } from '../../src/db/audit.js';
import { actorOf } from '../../src/domain/permissions.js';
import { postComment } from '../../src/workflow/comments.js';
import { disposeComment } from '../../src/workflow/dispositions.js';
import { editText } from '../../src/workflow/edit-text.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { flat, pdfPages } from '../helpers/dossier-pdf.js';
import { storedVersion } from '../helpers/factories.js';
import { castBallots, openConsultation, type Review, statePositions } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// The Governing Body paper built from guidelines driven through the real workflow: one revised
// after comments and adopted by a weighted vote, one adopted by consensus with French and Spanish
// in its text. The PDF is read back as text; HTML and Markdown must carry the same content.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((s) => ({ t, api, r } = s));

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const first = {
  title: 'Regulating recruitment',
  v1: [
    'Governments should license recruitment agencies.',
    'Fees should not be charged to workers.',
    'Contracts should be written.',
  ],
  v2: [
    'Governments should license recruitment agencies.',
    'No recruitment fees should be charged to migrant workers, directly or indirectly.',
    'Contracts should be written.',
  ],
};
const accented = [
  'Les travailleurs migrants ont droit à l’égalité de traitement et à la sécurité sociale.',
  'Los trabajadores migrantes tienen derecho a la protección y a la información en su idioma.',
];
const ids: { revised: string; consensus: string; anchored: string; refused: string } = {
  revised: '',
  consensus: '',
  anchored: '',
  refused: '',
};

/** What the paper says, whichever rendering it is read in. */
const paperPhrases = [
  'INTERNATIONAL LABOUR OFFICE',
  'Governing Body',
  'Geneva, November 2005',
  'FOR DECISION',
  'THIRD ITEM ON THE AGENDA',
  'COMMITTEE ON EMPLOYMENT AND SOCIAL POLICY',
  'Guideline 1. Regulating recruitment',
  'Guideline 2. Recruitment',
  ...first.v2,
  ...accented,
  'Instruments referred to: C181',
  // The weighted vote: groups of 2, L = 2, weight 1; yes 4, no 1, abstain 1.
  'Weight per member',
  "Each group's strength was 2, the total strength 6; weighted votes cast were 6 against a quorum of 3",
  'Weighted yes 4, no 1, abstentions 1. The result: passed.',
  'Every group supports the text as it stands.',
  'Support with reservations',
  'Annex I. Disposition of comments',
  "Expert, Workers' group",
  'Not accepted',
  'Written contracts protect workers.',
  'Drop the third paragraph.',
  'The Committee may wish to recommend that the Governing Body approve guidelines 1 and 2',
  'Geneva, 3 October 2005.',
];

const dossier = (path = '', sessionId = r.gbSessionId) =>
  `/api/v1/gb-sessions/${sessionId}/dossier${path}`;
const build = (body: unknown = {}, headers: Record<string, string> = {}, sessionId?: string) =>
  call(api, 'POST', dossier('', sessionId), { as: r.secretariat, body, headers });
/** The latest version's Markdown, as a drafter reads it. */
const markdownOf = async (sessionId?: string) =>
  (await call(api, 'GET', dossier('.md', sessionId), { as: r.owner })).text();
/** A later Governing Body session, made through the API with how its paper is headed. */
const laterSession = (name: string, number: number, paper: Record<string, string>) =>
  call(api, 'POST', '/api/v1/gb-sessions', {
    as: r.secretariat,
    body: {
      number: number + Math.floor(Math.random() * 1_000_000),
      name,
      startsAt: '2006-03-09T08:00:00Z',
      endsAt: '2006-03-24T17:00:00Z',
      documentDeadline: '2006-03-01T17:00:00Z',
      paper,
    },
  });
const storedGuideline = (id: string) =>
  t.db.selectFrom('guidelines').select('state').where('id', '=', id).executeTakeFirstOrThrow();
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const act = async (id: string, type: Parameters<Review['act']>[1], by = r.secretariat) =>
  r.act(id, type, by);

beforeAll(async () => {
  // 1. Revised after comments, then adopted by a weighted vote.
  const g1 = await r.newGuideline(first.v1.join('\n\n'));
  ids.revised = g1.id;
  await openConsultation(r, g1.id);
  ids.anchored = (
    await postComment(r, g1.id, r.experts.workers[1]!, {
      body: 'Say that no fee may be charged, even indirectly.',
      anchor: { paragraph: 2, exact: 'Fees should not be charged' },
      proposedText: 'No recruitment fees should be charged to migrant workers',
    })
  ).id;
  r.clock.advance(60);
  ids.refused = (await postComment(r, g1.id, r.observer, { body: 'Drop the third paragraph.' })).id;
  await statePositions(r, g1.id, {
    government: 'support',
    employers: 'oppose',
    workers: 'support',
  });
  await act(g1.id, { type: 'CLOSE_CONSULTATION' });
  await act(g1.id, { type: 'REQUEST_REVISION', instructions: 'Answer the comments on fees.' });
  await disposeComment(r, ids.anchored, r.owner, { disposition: 'accepted' });
  await disposeComment(r, ids.refused, r.owner, {
    disposition: 'not_accepted',
    note: 'Written contracts protect workers.',
  });
  await editText(
    r,
    g1.id,
    { text: first.v2.join('\n\n'), title: first.title },
    actorOf(r.owner),
    await storedVersion(t.db, g1.id),
  );
  await act(g1.id, { type: 'RESUBMIT' }, r.owner);
  await statePositions(r, g1.id, {
    government: 'support',
    employers: 'support_with_reservations',
    workers: 'support',
  });
  await act(g1.id, { type: 'CLOSE_CONSULTATION' });
  await act(g1.id, { type: 'OPEN_VOTE' });
  await castBallots(r, g1.id, {
    government: ['yes', 'yes'],
    employers: ['no', 'abstain'],
    workers: ['yes', 'yes'],
  });
  await act(g1.id, { type: 'CLOSE_VOTE' });
  await act(g1.id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: r.gbSessionId });

  // 2. Adopted by consensus, drafted after the first (the paper follows the order of drafting).
  r.clock.advance(3600);
  const g2 = await r.newGuideline(accented.join('\n\n'));
  ids.consensus = g2.id;
  await openConsultation(r, g2.id);
  await statePositions(r, g2.id, 'support');
  await act(g2.id, { type: 'CLOSE_CONSULTATION' });
  await act(g2.id, {
    type: 'RECORD_CONSENSUS',
    summary: 'Every group supports the text as it stands.',
  });
  await act(g2.id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: r.gbSessionId });
});

describe('the Governing Body dossier', () => {
  it('is not there before the first build, for anyone', async () => {
    for (const as of [r.secretariat, r.experts.government[0]!]) {
      const response = await call(api, 'GET', dossier('.pdf'), { as });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found' });
    }
    expect(await t.db.selectFrom('dossier_versions').selectAll().execute()).toEqual([]);
  });

  it('only the secretariat builds it, and bad options change nothing', async () => {
    const expert = await call(api, 'POST', dossier(), { as: r.experts.workers[0]!, body: {} });
    expect(expert.status).toBe(403);
    const unknown = await build({ symbol: 'GB.294/ESP/3', author: 'me' });
    expect(unknown.status).toBe(400);
    const blank = await build({ symbol: '   ' });
    expect(blank.status).toBe(400);
    const nowhere = await call(api, 'POST', '/api/v1/gb-sessions/not-a-session/dossier', {
      as: r.secretariat,
      body: {},
    });
    expect(nowhere.status).toBe(404);
    expect(await t.db.selectFrom('dossier_builds').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('dossier_versions').selectAll().execute()).toEqual([]);
  });

  it('a build makes version 1, whose PDF carries the masthead, the texts, the votes, the annex and the point for decision', async () => {
    const response = await build({
      symbol: 'GB.294/ESP/3',
      agendaItem: 'Third item on the agenda',
      purpose: 'FOR DECISION',
    });
    expect(response.status).toBe(201);
    const version = (await response.json()) as {
      number: number;
      symbol: string;
      sha256: Record<string, string>;
    };
    expect(version).toMatchObject({ number: 1, symbol: 'GB.294/ESP/3' });
    expect(response.headers.get('location')).toBe(dossier('/versions/1.html'));

    const pdfResponse = await call(api, 'GET', dossier('.pdf'), { as: r.observer });
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
    const pdf = await bytesOf(pdfResponse);
    expect(sha256(pdf)).toBe(version.sha256.pdf);
    const pages = await pdfPages(pdf);
    for (const page of pages) expect(page).toContain('GB.294/ESP/3');
    const text = flat(pages);
    for (const phrase of paperPhrases) {
      expect(text, phrase).toContain(phrase);
    }
    expect(text).toMatch(/Point for decision: Paragraph \d+\./);
    expect(pages.at(-1)).toMatch(new RegExp(`${pages.length} / ${pages.length}`));

    const stored = await t.db
      .selectFrom('dossier_versions')
      .select(['number', 'symbol', 'pdf_sha256'])
      .where('gb_session_id', '=', r.gbSessionId)
      .execute();
    expect(stored).toEqual([{ number: 1, symbol: 'GB.294/ESP/3', pdf_sha256: version.sha256.pdf }]);
    const audit = await readChain(t.db, `gb-session:${r.gbSessionId}`);
    expect(audit.at(-1)).toMatchObject({
      eventType: 'BUILD_DOSSIER',
      payload: { version: 1, symbol: 'GB.294/ESP/3', sha256: version.sha256 },
    });
  });

  it('the HTML and the Markdown carry the same content as the PDF', async () => {
    const html = await (await call(api, 'GET', dossier('.html'), { as: r.owner })).text();
    const md = await markdownOf();
    for (const phrase of [
      ...paperPhrases,
      'GB.294/ESP/3',
      'INTERNATIONAL LABOUR OFFICE',
      'Geneva, November 2005',
      ...first.v2,
      ...accented,
      'Weighted yes 4, no 1, abstentions 1. The result: passed.',
      'Annex I. Disposition of comments',
      'Written contracts protect workers.',
      'Geneva, 3 October 2005.',
    ]) {
      expect(md, phrase).toContain(phrase);
      expect(html.replaceAll('&#39;', "'"), phrase).toContain(phrase);
    }
    expect(html).toMatch(/<table data-table="votes"><caption>/);
    expect(html).toContain('<th scope="col">Weight per member</th>');
    expect(html).toContain('<del>Fees</del>');
    expect(md).toContain('| Ref. | Guideline | Round | From |');
    // The paragraph changed by the accepted comment links to that comment's row in the annex.
    expect(html).toMatch(/changed by <a href="#comment-G1-1">G1\.1<\/a>/);
    expect(html).toContain('<tr id="comment-G1-1">');
  });

  it('its tables come as CSV', async () => {
    const votes = await call(api, 'GET', dossier('/votes.csv'), { as: r.experts.employers[0]! });
    expect(votes.status).toBe(200);
    expect(votes.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await votes.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Guideline,Vote,Group,Members,Weight per member,Yes,No,Abstain,Weighted yes,Weighted no,Weighted abstain',
    );
    expect(lines).toContain('Guideline 1,"Round 2, vote 1",Employers\' group,2,1,0,1,1,0,1,1');
    expect(lines).toContain('Guideline 1,"Round 2, vote 1",Total,6,,4,1,1,4,1,1');
    const dispositions = await (
      await call(api, 'GET', dossier('/dispositions.csv'), { as: r.owner })
    ).text();
    expect(dispositions).toContain(
      'G1.2,Guideline 1,1,Observer,—,Drop the third paragraph.,Not accepted,Written contracts protect workers.',
    );
    expect((await call(api, 'GET', dossier('/ballots.csv'), { as: r.owner })).status).toBe(400);
  });

  it('gives the provenance of every adopted paragraph', async () => {
    const response = await call(api, 'GET', dossier('/provenance'), { as: r.observer });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      version: number;
      paragraphs: Record<string, unknown>[];
    };
    expect(body.version).toBe(1);
    const ofRevised = body.paragraphs.filter((p) => p.guidelineId === ids.revised);
    expect(ofRevised.map((p) => [p.paragraph, p.revision, p.comments])).toEqual([
      [1, 1, []],
      [2, 2, [{ id: ids.anchored, ref: 'G1.1', disposition: 'accepted' }]],
      [3, 1, []],
    ]);
    const chain = await readChain(t.db, `guideline:${ids.revised}`);
    const resubmit = chain.find((e) => e.eventType === 'RESUBMIT')!;
    expect(ofRevised[1]?.audit).toEqual({
      chain: resubmit.chain,
      seq: resubmit.seq,
      hash: resubmit.hash,
    });
    expect(body.paragraphs.filter((p) => p.guidelineId === ids.consensus)).toHaveLength(2);
  });

  it('a second build with nothing changed is the same version', async () => {
    const again = await build();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ number: 1, symbol: 'GB.294/ESP/3' });
    const versions = await call(api, 'GET', dossier('/versions'), { as: r.observer });
    expect(((await versions.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(await t.db.selectFrom('dossier_versions').select('number').execute()).toEqual([
      { number: 1 },
    ]);
  });

  it('after a decision, the next build is Rev.1 with the decision and a note; version 1 stays readable', async () => {
    await act(ids.revised, { type: 'RECORD_GB_DECISION', decision: 'approved' });
    await act(ids.consensus, {
      type: 'RECORD_GB_DECISION',
      decision: 'referred_back',
      instructions: 'Consult the social partners on the language provisions.',
    });
    // Asked to answer at once (RFC 7240), the build answers 202 with its job; a second request
    // queues behind it in the same executor, so when it answers the first one is done.
    const queued = await build({}, { prefer: 'respond-async' });
    expect(queued.status).toBe(202);
    const location = queued.headers.get('location')!;
    expect(location).toMatch(/\/dossier\/builds\/[0-9a-f-]{36}$/);
    expect((await build()).status).toBe(200);
    const job = await call(api, 'GET', location, { as: r.secretariat });
    expect(await job.json()).toMatchObject({
      status: 'succeeded',
      version: 2,
      createdVersion: true,
    });
    expect((await call(api, 'GET', location, { as: r.owner })).status).toBe(403);

    const latest = await markdownOf();
    expect(latest).toContain('GB.294/ESP/3(Rev.1)');
    expect(latest).toContain('the Governing Body approved the guideline “Regulating recruitment”');
    expect(latest).toContain('Consult the social partners on the language provisions.');
    expect(latest).toContain('was referred back to the Office for revision');
    expect(latest).not.toContain(accented[1]);
    expect(latest).toContain('No guideline in this paper awaits a decision');

    const v2pdf = flat(
      await pdfPages(
        await bytesOf(await call(api, 'GET', dossier('/versions/2.pdf'), { as: r.owner })),
      ),
    );
    expect(v2pdf).toContain('GB.294/ESP/3(Rev.1)');
    const v1 = await call(api, 'GET', dossier('/versions/1.pdf'), { as: r.owner });
    expect(v1.status).toBe(200);
    const v1text = flat(await pdfPages(await bytesOf(v1)));
    expect(v1text).toContain(accented[1]);
    expect(v1text).not.toContain('(Rev.1)');
    const list = (await (await call(api, 'GET', dossier('/versions'), { as: r.owner })).json()) as {
      items: { number: number; symbol: string }[];
    };
    expect(list.items.map((v) => [v.number, v.symbol])).toEqual([
      [1, 'GB.294/ESP/3'],
      [2, 'GB.294/ESP/3(Rev.1)'],
    ]);
    const audit = await readChain(t.db, `gb-session:${r.gbSessionId}`);
    expect(
      audit.filter((e) => e.eventType === 'BUILD_DOSSIER').map((e) => e.payload.version),
    ).toEqual([1, 2]);
  });

  it('answers 404 for a version that does not exist and 400 for one that is not a number', async () => {
    expect((await call(api, 'GET', dossier('/versions/9.html'), { as: r.owner })).status).toBe(404);
    expect((await call(api, 'GET', dossier('/versions/first.html'), { as: r.owner })).status).toBe(
      400,
    );
  });

  it('a guideline deferred here and put before a later session: this paper records the deferral and asks nothing more of it', async () => {
    const title = 'Recognition of qualifications';
    const g3 = await r.newGuideline('Skills should be recognized.\n\nAcross borders.');
    await openConsultation(r, g3.id);
    await statePositions(r, g3.id, 'support');
    await act(g3.id, { type: 'CLOSE_CONSULTATION' });
    await act(g3.id, { type: 'RECORD_CONSENSUS', summary: 'All groups agree.' });
    await t.db.updateTable('guidelines').set({ title }).where('id', '=', g3.id).execute();
    await act(g3.id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: r.gbSessionId });
    expect(await (await build()).json()).toMatchObject({ symbol: 'GB.294/ESP/3(Rev.2)' });
    const before = await markdownOf();
    expect(before).toMatch(/approve guideline \d+ of the/);

    await act(g3.id, { type: 'RECORD_GB_DECISION', decision: 'deferred' });
    // A later session, made through the API with how its paper is headed.
    const paper = {
      symbol: 'GB.295/LILS/2',
      committee: 'Committee on Legal Issues and International Labour Standards',
      agendaItem: 'Second item on the agenda',
    };
    const made = await laterSession('A later session', 2_000_000, paper);
    expect(made.status).toBe(201);
    const later = (await made.json()) as { id: string; paper: unknown };
    expect(later.paper).toEqual(paper);
    await act(g3.id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: later.id });

    expect((await build()).status).toBe(201);
    const here = await markdownOf();
    expect(here).toContain(
      `the Governing Body deferred to a later session the guideline “${title}”`,
    );
    expect(here).toContain(
      `the guideline “${title}”, in an earlier version of this paper, was deferred`,
    );
    expect(here).toContain('No guideline in this paper awaits a decision');

    const there = await build({}, {}, later.id);
    expect(there.status).toBe(201);
    expect(await there.json()).toMatchObject({ symbol: 'GB.295/LILS/2' });
    const next = await markdownOf(later.id);
    expect(next).toContain(title);
    expect(next).toContain(paper.committee.toUpperCase());
    expect(next).toMatch(/approve guideline 1 of the/);
    expect(next).not.toContain('deferred');

    // The secretariat changes the session's heading; the next build is headed by it.
    const unknown = await call(api, 'PATCH', `/api/v1/gb-sessions/${later.id}`, {
      as: r.secretariat,
      body: { paper: { author: 'me' } },
    });
    expect(unknown.status).toBe(400);
    const changed = await call(api, 'PATCH', `/api/v1/gb-sessions/${later.id}`, {
      as: r.secretariat,
      body: { paper: { agendaItem: 'Fourth item on the agenda' } },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      paper: { ...paper, agendaItem: 'Fourth item on the agenda' },
    });
    expect((await build({}, {}, later.id)).status).toBe(201);
    const reheaded = await markdownOf(later.id);
    expect(reheaded).toContain('FOURTH ITEM ON THE AGENDA');
    expect(reheaded).toContain('GB.295/LILS/2(Rev.1)');
  });

  it('a guideline withdrawn while before the session leaves the next version with a note', async () => {
    const title = 'Statistics disaggregated by sex';
    const g4 = await r.newGuideline('Data should be disaggregated by sex.');
    await t.db.updateTable('guidelines').set({ title }).where('id', '=', g4.id).execute();
    await openConsultation(r, g4.id);
    await statePositions(r, g4.id, 'support');
    await act(g4.id, { type: 'CLOSE_CONSULTATION' });
    await act(g4.id, { type: 'RECORD_CONSENSUS', summary: 'Agreed.' });
    await act(g4.id, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: r.gbSessionId });
    expect((await build()).status).toBe(201);
    expect(await markdownOf()).toContain(title);

    await act(g4.id, { type: 'WITHDRAW', reason: 'Overtaken by the statistics guideline.' });
    expect((await build()).status).toBe(201);
    const paper = await markdownOf();
    expect(paper).toContain(
      `the guideline “${title}”, in an earlier version of this paper, was withdrawn by the Office`,
    );
    expect(paper).toContain('No guideline in this paper awaits a decision');
  });

  it('names those who commented only where the meeting is so set', async () => {
    const author = r.experts.workers[1]!;
    await t.db
      .updateTable('users')
      .set({ name: 'Aïcha Benali', organisation: 'Confédération syndicale' })
      .where('id', '=', author.id)
      .execute();
    const byGroup = await markdownOf();
    expect(byGroup).not.toContain('Aïcha Benali');

    const named = await call(api, 'PATCH', `/api/v1/meetings/${r.meetingId}`, {
      as: r.secretariat,
      body: { commentAttribution: 'name' },
    });
    expect(named.status).toBe(200);
    expect(await named.json()).toMatchObject({ commentAttribution: 'name' });
    expect((await build()).status).toBe(201);
    const paper = await markdownOf();
    expect(paper).toContain("Aïcha Benali, Confédération syndicale (Expert, Workers' group)");
    const pdf = flat(
      await pdfPages(await bytesOf(await call(api, 'GET', dossier('.pdf'), { as: r.owner }))),
    );
    expect(pdf).toContain('Aïcha Benali');

    await call(api, 'PATCH', `/api/v1/meetings/${r.meetingId}`, {
      as: r.secretariat,
      body: { commentAttribution: 'group' },
    });
  });

  it('keeps the provenance of each version readable, and the HTML links a paragraph to its revision and history', async () => {
    const first = await call(api, 'GET', dossier('/versions/1/provenance'), { as: r.observer });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { version: number; paragraphs: { guidelineId: string }[] };
    expect(body.version).toBe(1);
    expect(body.paragraphs.filter((p) => p.guidelineId === ids.revised)).toHaveLength(3);
    const latest = (await (
      await call(api, 'GET', dossier('/provenance'), { as: r.observer })
    ).json()) as {
      version: number;
    };
    expect(latest.version).toBeGreaterThan(1);
    expect(
      (await call(api, 'GET', dossier('/versions/999/provenance'), { as: r.observer })).status,
    ).toBe(404);

    const html = await (
      await call(api, 'GET', dossier('/versions/1.html'), { as: r.owner })
    ).text();
    expect(html).toContain(
      `<a href="/api/v1/guidelines/${ids.revised}/revisions/2">revision 2</a>`,
    );
    expect(html).toContain(
      `<a href="/api/v1/guidelines/${ids.revised}/history">audit guideline:${ids.revised} #`,
    );
  });

  it('a guideline referred back comes back, revised and adopted again, before a later session', async () => {
    expect((await storedGuideline(ids.consensus)).state).toBe('revision');
    await act(ids.consensus, { type: 'RESUBMIT' }, r.owner);
    await statePositions(r, ids.consensus, 'support');
    await act(ids.consensus, { type: 'CLOSE_CONSULTATION' });
    await act(ids.consensus, {
      type: 'RECORD_CONSENSUS',
      summary: 'Agreed once the partners were consulted.',
    });
    const made = await laterSession('The session after', 3_000_000, { symbol: 'GB.297/ESP/2' });
    const later = (await made.json()) as { id: string };
    await act(ids.consensus, { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: later.id });
    expect((await build({}, {}, later.id)).status).toBe(201);
    const paper = await markdownOf(later.id);
    expect(paper).toContain(accented[0]);
    expect(paper).toContain('Agreed once the partners were consulted.');
    expect(paper).toMatch(/approve guideline 1 of the/);

    // The first session's paper still records the referral, and asks nothing of it.
    await build();
    const first = await markdownOf();
    expect(first).toContain('was referred back to the Office for revision');
    expect(first).not.toContain(accented[0]);
  });
});
