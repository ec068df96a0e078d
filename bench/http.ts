import { availableParallelism } from 'node:os';
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
import {
  benchPassword,
  benchSeconds,
  drive,
  engineStepper,
  GUIDELINES,
  openBenchDatabase,
} from './fixture.js';

// Workflow events per second through HTTP: the real server (`src/main.ts`) in its own process on
// PostgreSQL, 16 clients over keep-alive connections, each event sent with the If-Match of the
// previous answer; then the same with two API processes, as SPEC section 8 scales out. In the same
// run, alternating with them: the engine in-process and pgbench's same-shape transactions, so the
// ratios compare like with like. Prints figures; asserts nothing.
//
//   npm run bench:http                 (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else local)
//   BENCH_SECONDS=15                   time per figure and side, split over three alternating rounds
//   BENCH_PROFILE=1                    the first server writes a CPU profile to /tmp/gre-profile
//   BENCH_LOG_LEVEL=warn               the servers' log level (info, as in production, by default)

const concurrency = 16;
const cores = availableParallelism() * 100;
const rounds = 3;
const bench = await openBenchDatabase(2);
const [engineIds, httpIds] = bench.idSets as [string[], string[]];

const apis: ApiProcess[] = [];
try {
  apis.push(
    await startApiProcess(bench.url, {
      sockets: concurrency,
      profile: Boolean(process.env.BENCH_PROFILE),
    }),
    await startApiProcess(bench.url, { sockets: concurrency }),
  );
  const drafterToken = await tokenOf(apis[0] as ApiProcess, bench.owner.email, benchPassword);
  const staffToken = await tokenOf(apis[0] as ApiProcess, bench.secretariat.email, benchPassword);

  // Versions are tracked per guideline from each answer's ETag, whichever process answered.
  const versions = new Array<number>(GUIDELINES).fill(1);
  const nextIsSubmit = new Array<boolean>(GUIDELINES).fill(true);
  let latencies: number[] = [];
  // Requests go round the processes one by one, as a load balancer that knows nothing of guidelines
  // would send them: consecutive events on a guideline mostly reach different processes.
  let sent = 0;
  const httpStepper = (using: readonly ApiProcess[]) => async (i: number) => {
    const submit = nextIsSubmit[i];
    const started = performance.now();
    const answer = await request(
      using[sent++ % using.length] as ApiProcess,
      'POST',
      `/api/v1/guidelines/${httpIds[i]}/events`,
      { authorization: submit ? drafterToken : staffToken, 'if-match': `"${versions[i]}"` },
      submit ? { type: 'SUBMIT' } : { type: 'RETURN_TO_DRAFTER', reason: 'Please revise.' },
    );
    latencies.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`event refused (${answer.status}): ${answer.body}`);
    versions[i] = Number(String(answer.headers.etag).replaceAll('"', ''));
    nextIsSubmit[i] = !submit;
  };
  const engineStep = engineStepper(bench, engineIds);
  const sides = [
    {
      name: 'HTTP, 1 API process',
      using: apis.slice(0, 1),
      tx: 0,
      cpu: 0,
      clientCpu: 0,
      machine: 0,
      latencies: [] as number[],
    },
    {
      name: 'HTTP, 2 API processes',
      using: apis.slice(0, 2),
      tx: 0,
      cpu: 0,
      clientCpu: 0,
      machine: 0,
      latencies: [] as number[],
    },
  ];

  console.log(
    `Guideline Review Engine — HTTP benchmark\nPostgreSQL ${bench.version}; ${GUIDELINES} guidelines per side alternating SUBMIT / RETURN_TO_DRAFTER; concurrency ${concurrency}; ${benchSeconds} s per figure in ${rounds} alternating rounds`,
  );
  // Warm-up: JIT, pools and prepared statements everywhere.
  await drive(4, { count: 2000 }, engineStep);
  await drive(concurrency, { count: 4000 }, httpStepper(apis));

  let engineTx = 0;
  let engineCpu = 0;
  let referenceTx = 0;
  const ms = (benchSeconds * 1000) / rounds;
  // Each side's pools sit idle while the others run, long enough for pg's pool to close its
  // connections; a few unrecorded requests reopen them first, as pgbench leaves out its own
  // connection time.
  const reconnect = async (step: (i: number) => Promise<void>) => {
    latencies = [];
    await drive(concurrency, { count: concurrency * 4 }, step);
  };
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      await reconnect(httpStepper(side.using));
      latencies = side.latencies;
      const cpuBefore = cpuSeconds(side.using);
      const machineBefore = machineBusySeconds();
      const run = await drive(concurrency, { ms }, httpStepper(side.using));
      side.machine += (machineBusySeconds() - machineBefore) / (ms / 1000) / rounds;
      side.tx += run.perSecond / rounds;
      side.cpu += (cpuSeconds(side.using) - cpuBefore) / (ms / 1000) / rounds;
      side.clientCpu += run.cpuShare / rounds;
    }
    await reconnect(engineStep);
    const engine = await drive(concurrency, { ms }, engineStep);
    engineTx += engine.perSecond / rounds;
    engineCpu += engine.cpuShare / rounds;
    referenceTx += bench.pgbench(concurrency, benchSeconds / rounds) / rounds;
  }

  const row = (name: string, tx: number, extra = '') =>
    `${name.padEnd(24)}${tx.toFixed(0).padStart(7)}${(tx / referenceTx).toFixed(2).padStart(11)}${extra}`;
  console.log(`\n${'side'.padEnd(24)}${'tx/s'.padStart(7)}${'÷ pgbench'.padStart(11)}`);
  for (const side of sides) {
    const at = (q: number) => quantile(side.latencies, q);
    console.log(
      row(
        side.name,
        side.tx,
        `   p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms (${side.latencies.length} requests); API CPU ${(side.cpu * 100).toFixed(0)}%, load generator ${(side.clientCpu * 100).toFixed(0)}% of a core; machine ${(side.machine * 100).toFixed(0)}% of ${cores}`,
      ),
    );
  }
  console.log(
    row('engine, in-process', engineTx, `   CPU ${(engineCpu * 100).toFixed(0)}% of a core`),
  );
  console.log(row('pgbench, same shape', referenceTx));
} finally {
  for (const api of apis) await stopApiProcess(api);
  await bench.close();
}
