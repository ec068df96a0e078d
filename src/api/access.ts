import type { Account } from '../db/schema.js';
import { actionPermission, type RecordAction } from '../domain/permissions.js';
import { HttpProblem } from './problem.js';

/** Refuses with 403, and the rule's reason, unless the caller may take the action. */
export function authorize(user: Account, action: RecordAction): void {
  const reason = actionPermission(user, action);
  if (reason) throw new HttpProblem({ code: 'forbidden', title: 'Forbidden', detail: reason });
}
