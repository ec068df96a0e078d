import { wordDiff } from '../src/domain/text-diff.js';
import { boundedWork } from '../src/workflow/bounded-work.js';

// What running the diff off the event loop costs an ordinary revision (the worker round trip), and
// what a hostile pair of revisions costs now: node --import tsx bench/diff.ts

const paragraph =
  'Governments should license private recruitment agencies. No fees should be charged to migrant workers.\n\n';
const before = paragraph.repeat(20);
const after = before.replace(/fees/g, 'charges');
const unrelated = (seed: number) =>
  Array.from({ length: 3_000 }, (_, i) => ((i * seed * 2_654_435_761) >>> 0).toString(36)).join(
    ' ',
  );

const work = boundedWork();
await work.run('diff', { before, after }); // start the thread
const rounds = 200;
let started = performance.now();
for (let i = 0; i < rounds; i++) wordDiff(before, after);
const onLoop = (performance.now() - started) / rounds;
started = performance.now();
for (let i = 0; i < rounds; i++) await work.run('diff', { before, after });
const inWorker = (performance.now() - started) / rounds;
started = performance.now();
const hostile = await work.run('diff', { before: unrelated(7), after: unrelated(13) });
const hostileMs = performance.now() - started;
console.log(
  `ordinary diff, ${before.length} characters: ${onLoop.toFixed(2)} ms on the loop, ${inWorker.toFixed(2)} ms in a worker`,
);
console.log(
  `hostile diff, ${unrelated(7).length} characters of unrelated words: ${hostileMs.toFixed(0)} ms in a worker (${hostile.granularity} level), the loop free throughout`,
);
await work.close();
