import type { Group, Role } from './vocabulary.js';

// Who the engine acts for, and who may take the actions on the record that are not workflow events
// (managing users, meetings and sessions, creating guidelines). Who may send which workflow event is
// the workflow's own: each event's definition says it (src/workflow/events/, with the rules of
// src/workflow/who-may.ts).

export type Actor =
  | {
      kind: 'user';
      id: string;
      role: Role;
      group: Group | null;
      spokesperson: boolean;
    }
  | { kind: 'system' };

/** The actor a signed-in user is, for the engine. */
export const actorOf = (user: {
  id: string;
  role: Role;
  group: Group | null;
  spokesperson: boolean;
}): Actor => ({
  kind: 'user',
  id: user.id,
  role: user.role,
  group: user.group,
  spokesperson: user.spokesperson,
});

/** Actions on the record other than workflow events, each with the only role that may take it. */
const actionRoles = {
  manage_users: ['secretariat', 'The secretariat manages users.'],
  manage_meetings: ['secretariat', 'The secretariat manages meetings and their members.'],
  manage_gb_sessions: ['secretariat', 'The secretariat manages Governing Body sessions.'],
  verify_audit: ['secretariat', 'Only the secretariat verifies the audit trail.'],
  manage_deliveries: [
    'secretariat',
    'The secretariat manages webhooks and watches e-mail and webhook deliveries.',
  ],
  move_clock: ['secretariat', 'Only the secretariat moves the scenario clock.'],
  create_guideline: ['drafter', 'Only drafters create guidelines.'],
} as const satisfies Record<string, readonly [Role, string]>;
export type RecordAction = keyof typeof actionRoles;

/** null when the user may take the action; otherwise why not. */
export function actionPermission(user: { role: Role }, action: RecordAction): string | null {
  const [role, reason] = actionRoles[action];
  return user.role === role ? null : reason;
}

/** null when a user's role, group and spokesperson flag fit together; otherwise why not. */
export function userShapeProblem(user: {
  role: Role;
  group: Group | null;
  spokesperson: boolean;
}): string | null {
  if (user.role === 'expert' && !user.group) return 'an expert belongs to a group';
  if (user.role !== 'expert' && user.group) return 'only experts belong to a group';
  if (user.spokesperson && user.role !== 'expert') return 'only an expert can be a spokesperson';
  return null;
}
