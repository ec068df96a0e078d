import {
  benchSeconds,
  drive,
  engineStepper,
  GUIDELINES,
  mb,
  openBenchDatabase,
} from './fixture.js';

// Transitions per second through the engine on PostgreSQL, against pgbench running the same-shape
// transactions on the same tables: lock the guideline, (for a submission, freeze a revision), update
// its snapshot and chain head, insert an audit entry, insert a notification. Prints figures; asserts
// nothing.
//
//   npm run bench:transitions          (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else local)
//   BENCH_SECONDS=15                   time per figure and side, split over three alternating rounds
//   BENCH_SOAK=100000                  transitions in the memory soak (0 to skip)

const soakTransitions = Number(process.env.BENCH_SOAK ?? 100_000);
const bench = await openBenchDatabase(1);

try {
  const step = engineStepper(bench, bench.idSets[0] as string[]);
  console.log(
    `Guideline Review Engine — transitions benchmark\nPostgreSQL ${bench.version}; ${GUIDELINES} guidelines alternating SUBMIT / RETURN_TO_DRAFTER; ${benchSeconds} s per figure`,
  );
  await drive(4, { count: 2000 }, step); // warm-up: JIT, pools, caches
  console.log('\nconcurrency  engine tx/s  pgbench tx/s  engine/pgbench  engine process CPU');
  // Engine and pgbench alternate in three rounds per concurrency, so a drift in the disk's fsync
  // latency (large on a shared machine) falls on both sides alike.
  const rounds = 3;
  for (const concurrency of [1, 16]) {
    let engineTx = 0;
    let engineCpu = 0;
    let referenceTx = 0;
    for (let round = 0; round < rounds; round++) {
      const engine = await drive(concurrency, { ms: (benchSeconds * 1000) / rounds }, step);
      engineTx += engine.perSecond / rounds;
      engineCpu += engine.cpuShare / rounds;
      referenceTx += bench.pgbench(concurrency, benchSeconds / rounds) / rounds;
    }
    console.log(
      [
        String(concurrency).padStart(11),
        engineTx.toFixed(0).padStart(11),
        referenceTx.toFixed(0).padStart(12),
        (engineTx / referenceTx).toFixed(2).padStart(14),
        `${(engineCpu * 100).toFixed(0)}%`.padStart(18),
      ].join('  '),
    );
  }

  if (soakTransitions > 0) {
    const samples: number[] = [];
    let peak = process.memoryUsage().rss;
    const every = Math.max(1, Math.floor(soakTransitions / 10));
    const soak = await drive(16, { count: soakTransitions }, step, (done) => {
      if (done % 100 !== 0) return; // reading RSS is a system call: sample, don't poll
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      if (done % every === 0) samples.push(rss);
    });
    console.log(
      `\nmemory over ${soak.done} transitions at concurrency 16 (${soak.perSecond.toFixed(0)} tx/s):\n  RSS every ${every}: ${samples.map(mb).join(', ')}\n  peak RSS ${mb(peak)}`,
    );
  }
} finally {
  await bench.close();
}
