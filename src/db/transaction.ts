import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Work for after a commit; it gets the database the transaction was opened on. */
export type CommitTask = (db: Kysely<Database>) => Promise<void>;

// The tasks of each transaction opened by inTransaction, until it ends. Keyed by the transaction
// object, so they go when it goes; nothing here outlives a transaction.
const commitTasks = new WeakMap<Transaction<Database>, CommitTask[]>();

/**
 * Runs `work` in a transaction: the one `db` already is (a caller's, which then commits or rolls
 * back everything together), or a new one. After a new one commits, the tasks given to
 * `afterCommit` run in order; a rollback drops them.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  const tasks: CommitTask[] = [];
  const result = await db.transaction().execute((trx) => {
    commitTasks.set(trx, tasks);
    return work(trx);
  });
  for (const task of tasks) await task(db);
  return result;
}

/**
 * Asks for `task` to run once `trx` has committed: something that must not hold the transaction
 * open, such as a NOTIFY, which PostgreSQL serializes across every committing transaction. The
 * transaction must come from inTransaction: any other would commit without running it.
 */
export function afterCommit(trx: Transaction<Database>, task: CommitTask): void {
  const tasks = commitTasks.get(trx);
  if (!tasks) {
    throw new Error(
      'afterCommit needs a transaction opened by inTransaction (src/db/transaction.ts)',
    );
  }
  tasks.push(task);
}
