import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a developer writes to add a workflow event, done here on a copy of the project: the
// secretariat notes a submission with a remark (ADD_NOTE) before it decides on it. Step by step the
// compiler names what is still missing; once it is all written, the event runs through the real API
// (in the copy's own test run, on this run's database kind): sent, refused for the wrong person,
// audited, heard of by the owner, listed in allowedEvents and on the chart.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let copy: string;

/** Replaces `anchor` in one file of the copy; a missing anchor fails loudly, not silently. */
function edit(file: string, anchor: string, replacement: string) {
  const at = path.join(copy, file);
  const text = readFileSync(at, 'utf8');
  if (!text.includes(anchor)) throw new Error(`${file} no longer contains ${anchor}`);
  writeFileSync(at, text.replace(anchor, replacement));
}

/** The compiler's complaints about the copy: [] when it builds. */
async function typeErrors(): Promise<string[]> {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: copy });
    return [];
  } catch (error) {
    const { stdout } = error as { stdout: string };
    return stdout.split('\n').filter((line) => line.includes('error TS'));
  }
}

beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'gre-new-event-'));
  for (const part of ['src', 'seeds', 'tests/helpers', 'tests/model', 'vitest.config.ts']) {
    cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
  }
  cpSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  // The copy is checked as the project is, without the tests and benches this step leaves behind.
  const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  tsconfig.include = ['src', 'seeds', 'tests'];
  writeFileSync(path.join(copy, 'tsconfig.json'), JSON.stringify(tsconfig));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('a new workflow event', () => {
  it('is refused by the compiler until every piece is written', async () => {
    // 1. The machine's event: what it carries.
    edit(
      'src/machines/events.ts',
      "  | { type: 'WITHDRAW'; reason: string };",
      "  | { type: 'WITHDRAW'; reason: string }\n  | { type: 'ADD_NOTE'; remark: string };",
    );
    const unlisted = await typeErrors();
    expect(unlisted.join('\n')).toMatch(/src\/machines\/events\.ts.*'"ADD_NOTE"'/);

    edit('src/machines/events.ts', "  'WITHDRAW',\n]", "  'WITHDRAW',\n  'ADD_NOTE',\n]");
    const undefinedEvent = await typeErrors();
    expect(undefinedEvent.join('\n')).toMatch(/src\/workflow\/events\/index\.ts.*ADD_NOTE/);

    // 2. Its definition, in a file of its own — here first without who hears of it.
    const definition = `import { secretariat } from '../who-may.js';
import { command, standIn, text } from './command.js';
import { asSent, defineEvent, recordsNothing, writesNothing } from './definition.js';

/** The secretariat notes a submission with a remark, before it decides on it. */
export const addNote = defineEvent('ADD_NOTE', {
  command: command('ADD_NOTE', { remark: text }),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'ADD_NOTE', remark: standIn }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  AUDIENCE
});
`;
    writeFileSync(
      path.join(copy, 'src/workflow/events/add-note.ts'),
      definition.replace('  AUDIENCE\n', ''),
    );
    edit(
      'src/workflow/events/index.ts',
      "import { withdraw } from './withdraw.js';",
      "import { withdraw } from './withdraw.js';\nimport { addNote } from './add-note.js';",
    );
    edit(
      'src/workflow/events/index.ts',
      '  WITHDRAW: withdraw,',
      '  WITHDRAW: withdraw,\n  ADD_NOTE: addNote,',
    );
    const unheard = await typeErrors();
    expect(unheard.join('\n')).toMatch(/src\/workflow\/events\/add-note\.ts.*audience/);

    writeFileSync(
      path.join(copy, 'src/workflow/events/add-note.ts'),
      definition.replace(
        '  AUDIENCE\n',
        "  audience: ['owner'],\n  title: 'noted by the secretariat',\n",
      ),
    );
    // 3. Where the chart takes it: a submission waiting for the secretariat's check.
    edit(
      'src/machines/guideline.ts',
      "        RETURN_TO_DRAFTER: { guard: 'reasonGiven', target: 'drafting' },",
      "        RETURN_TO_DRAFTER: { guard: 'reasonGiven', target: 'drafting' },\n        ADD_NOTE: { target: 'secretariat_check' },",
    );
    expect(await typeErrors()).toEqual([]);
  }, 180_000);

  it('then works through the API with nothing else written', async () => {
    writeFileSync(
      path.join(copy, 'tests/add-note.test.ts'),
      `import { expect, it } from 'vitest';
import { call } from './helpers/api.js';
import type { TestApi } from './helpers/api.js';
import type { Review } from './helpers/review.js';
import { useReviewApi } from './helpers/review-api.js';
import type { TestDatabase } from './helpers/database.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => ({ t, api, r } = setup));

it('takes ADD_NOTE', async () => {
  const { id } = await r.newGuideline();
  await r.act(id, { type: 'SUBMIT' }, r.owner);
  const view = async (as: { id: string }) =>
    (await (await call(api, 'GET', '/api/v1/guidelines/' + id, { as })).json()) as {
      version: number;
      allowedEvents: { type: string; allowed: boolean; reason?: string }[];
    };
  const note = (v: { allowedEvents: { type: string }[] }) =>
    v.allowedEvents.find((e) => e.type === 'ADD_NOTE');
  expect(note(await view(r.secretariat))).toEqual({ type: 'ADD_NOTE', allowed: true });
  expect(note(await view(r.owner))).toEqual({
    type: 'ADD_NOTE',
    allowed: false,
    reason: 'only the secretariat may do this',
  });

  const send = (as: { id: string }, body: unknown, version: number) =>
    call(api, 'POST', '/api/v1/guidelines/' + id + '/events', {
      as,
      body,
      headers: { 'if-match': '"' + version + '"' },
    });
  const { version } = await view(r.secretariat);
  const empty = await send(r.secretariat, { type: 'ADD_NOTE' }, version);
  expect(empty.status).toBe(400);
  expect(empty.headers.get('content-type')).toMatch(/problem\\+json/);
  expect((await send(r.owner, { type: 'ADD_NOTE', remark: 'mine' }, version)).status).toBe(403);

  const sent = await send(r.secretariat, { type: 'ADD_NOTE', remark: ' Check C181. ' }, version);
  expect(sent.status).toBe(200);
  expect(await sent.json()).toMatchObject({ state: 'secretariat_check', version: version + 1 });

  const audit = await t.db.selectFrom('audit_entries').selectAll()
    .where('guideline_id', '=', id).where('event_type', '=', 'ADD_NOTE').execute();
  expect(audit.map((a) => [a.actor_id, a.payload])).toEqual([[r.secretariat.id, { remark: 'Check C181.' }]]);
  const heard = await t.db.selectFrom('notifications').select(['recipient_id', 'title'])
    .where('guideline_id', '=', id).where('kind', '=', 'guideline.add_note').execute();
  expect(heard).toEqual([
    { recipient_id: r.owner.id, title: expect.stringContaining('noted by the secretariat') },
  ]);

  const chart = (await (await call(api, 'GET', '/api/v1/workflow', { as: r.owner })).json()) as {
    states: { key: string; on: { event: string }[] }[];
  };
  const check = chart.states.find((s) => s.key === 'secretariat_check');
  expect(check?.on.map((t) => t.event)).toContain('ADD_NOTE');
});
`,
    );
    const { stdout } = await run(
      process.execPath,
      [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'tests/add-note.test.ts'],
      { cwd: copy, env: { ...process.env, CI: '1', NO_COLOR: '1' } },
    ).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`the copy's test run failed:\n${error.stdout}\n${error.stderr}`);
    });
    expect(stdout).toMatch(/1 passed/);
  }, 180_000);
});
