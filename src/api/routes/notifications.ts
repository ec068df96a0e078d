import { z } from 'zod';
import { inboxPage, readAllNotifications, readNotification } from '../../workflow/inbox.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { pageOf } from '../schemas.js';
import { booleanQuery, timeCursor } from '../validation.js';

// The caller's in-app inbox (SPEC section 5). Always on, whatever the e-mail and webhook choices.

const id = z.uuid();
const notificationSchema = z
  .strictObject({
    id,
    kind: z.string().describe('e.g. guideline.open_vote'),
    guidelineId: id.nullable(),
    title: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });
const inboxSchema = pageOf(notificationSchema).extend({
  unread: z.number().int().describe('How many of your notifications are unread, in all.'),
});
const listQuery = z.strictObject({
  unread: booleanQuery.optional(),
  cursor: timeCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

type Listed = Awaited<ReturnType<typeof inboxPage>>['items'][number];
const view = (n: Listed) => ({
  id: n.id,
  kind: n.kind,
  guidelineId: n.guideline_id,
  title: n.title,
  data: n.data as Record<string, unknown>,
  createdAt: new Date(n.created_at).toISOString(),
  readAt: n.read_at === null ? null : new Date(n.read_at).toISOString(),
});

export const notificationEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/notifications',
    tag: 'notifications',
    summary: 'Your notifications, newest first',
    description: '`unread=true` lists only those not yet read; `unread` counts them all.',
    signedIn: true,
    query: listQuery,
    responses: { 200: { description: 'A page of your inbox.', schema: inboxSchema } },
    problems: [],
    async handle({ query, user }, _req, res) {
      const page = await inboxPage(
        deps,
        user,
        { unread: query.unread },
        { limit: query.limit, after: query.cursor },
      );
      const last = page.items.at(-1);
      res.json({
        items: page.items.map(view),
        nextCursor:
          page.more && last
            ? timeCursor.encode({ createdAt: new Date(last.created_at).toISOString(), id: last.id })
            : null,
        unread: page.unread,
      });
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/notifications/:id/read',
    tag: 'notifications',
    summary: 'Mark one of your notifications read',
    description: 'Reading it again keeps the first time. Another person’s notification is 404.',
    signedIn: true,
    params: z.strictObject({ id }),
    responses: {
      200: {
        description: 'Read.',
        schema: z.strictObject({ id, readAt: z.iso.datetime() }),
      },
    },
    problems: ['not_found'],
    async handle({ params, user }, _req, res) {
      const read = await readNotification(deps, user, params.id);
      res.json({ id: read.id, readAt: new Date(read.read_at as Date).toISOString() });
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/notifications/read-all',
    tag: 'notifications',
    summary: 'Mark all your notifications read',
    description: 'Answers how many were unread.',
    signedIn: true,
    responses: {
      200: { description: 'Done.', schema: z.strictObject({ marked: z.number().int() }) },
    },
    problems: [],
    async handle({ user }, _req, res) {
      res.json({ marked: await readAllNotifications(deps, user) });
    },
  }),
];
