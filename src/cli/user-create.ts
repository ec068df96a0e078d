import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { ConfigError, loadToolConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { RecordConflict, RecordInvalid } from '../workflow/errors.js';
import { createUser } from '../workflow/manage-users.js';
import { newUserBody } from '../workflow/user-input.js';

// `npm run user:create -- --email … --name … [--role secretariat] [--group …] [--spokesperson]`
// makes an account directly in the configured database: the first secretariat account of a
// production system, which then manages everyone else through the API. The password is read from
// standard input (typed, hidden, at a terminal), never from the command line, where `ps` shows it.

const usage =
  'usage: npm run user:create -- --email <e-mail> --name <name> [--role secretariat|drafter|expert|observer] [--group government|employers|workers] [--spokesperson] [--organisation <name>]\n' +
  'The password is read from standard input.';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const again = await ask('Password again: ');
  if (first !== again) throw new UsageError('the two passwords differ');
  return first;
}

class UsageError extends Error {}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'secretariat' },
      group: { type: 'string' },
      spokesperson: { type: 'boolean', default: false },
      organisation: { type: 'string' },
    },
    strict: true,
  });
  const config = loadToolConfig();
  const password = await readPassword();
  const parsed = newUserBody.safeParse({ ...values, password });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'),
    );
  }
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const user = await createUser({ db: database.db, clock: systemClock }, parsed.data, null);
    process.stdout.write(
      `created ${user.role} ${user.email} (${user.id}) in the ${database.kind} database\n`,
    );
  } finally {
    await database.close();
  }
}

try {
  await main();
} catch (error) {
  const known =
    error instanceof UsageError ||
    error instanceof RecordConflict ||
    error instanceof RecordInvalid ||
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${known ? (error as Error).message : String(error)}\n`);
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`${usage}\n`);
  }
  process.exitCode = error instanceof ConfigError ? 78 : known ? 64 : 1;
}
