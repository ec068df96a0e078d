import type { Kysely } from 'kysely';
import type { ClaimedDelivery } from '../../db/deliveries.js';
import type { Database, Language } from '../../db/schema.js';

// What a claimed delivery carries: its notification (or, for a digest, its items' notifications),
// who it is for, in which language, and for a webhook where it goes and the secret to sign with.

export interface CarriedNotification {
  id: string;
  kind: string;
  event: string | undefined;
  guidelineId: string | null;
  guidelineTitle: string | undefined;
  title: string;
  createdAt: Date;
}

export interface DeliveryContent {
  recipient: { id: string; email: string; name: string; language: Language };
  subscription: { url: string; secret: string; live: boolean } | null;
  notifications: CarriedNotification[];
  digest: boolean;
}

export async function contentsOf(
  db: Kysely<Database>,
  claimed: readonly ClaimedDelivery[],
): Promise<Map<string, DeliveryContent>> {
  const out = new Map<string, DeliveryContent>();
  if (claimed.length === 0) return out;
  const recipients = await db
    .selectFrom('users as u')
    .leftJoin('notification_preferences as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.name', 'p.language'])
    .where('u.id', 'in', [...new Set(claimed.map((c) => c.recipient_id))])
    .execute();
  const subscriptionIds = [...new Set(claimed.flatMap((c) => c.subscription_id ?? []))];
  const subscriptions =
    subscriptionIds.length === 0
      ? []
      : await db
          .selectFrom('webhook_subscriptions')
          .select(['id', 'url', 'secret', 'deleted_at'])
          .where('id', 'in', subscriptionIds)
          .execute();
  const direct = claimed.flatMap((c) => c.notification_id ?? []);
  const digests = claimed.filter((c) => c.notification_id === null).map((c) => c.id);
  const notifications = () =>
    db
      .selectFrom('notifications as n')
      .leftJoin('guidelines as g', 'g.id', 'n.guideline_id')
      .select([
        'n.id',
        'n.kind',
        'n.data',
        'n.guideline_id',
        'n.title',
        'n.created_at',
        'g.title as guideline_title',
      ])
      .orderBy('n.created_at');
  const directRows =
    direct.length === 0
      ? []
      : (await notifications().where('n.id', 'in', direct).execute()).map((n) => ({
          ...n,
          digest_id: null as string | null,
        }));
  const digestRows =
    digests.length === 0
      ? []
      : await notifications()
          .innerJoin('deliveries as item', 'item.notification_id', 'n.id')
          .select('item.digest_id')
          .where('item.digest_id', 'in', digests)
          .execute();
  const rows = [...directRows, ...digestRows];
  for (const c of claimed) {
    const r = recipients.find((u) => u.id === c.recipient_id);
    if (!r) continue;
    const s = subscriptions.find((x) => x.id === c.subscription_id);
    const carried = rows
      .filter((n) => (c.notification_id ? n.id === c.notification_id : n.digest_id === c.id))
      .map(
        (n): CarriedNotification => ({
          id: n.id,
          kind: n.kind,
          event: typeof n.data?.event === 'string' ? n.data.event : undefined,
          guidelineId: n.guideline_id,
          guidelineTitle: n.guideline_title ?? undefined,
          title: n.title,
          createdAt: new Date(n.created_at),
        }),
      );
    out.set(c.id, {
      recipient: { id: r.id, email: r.email, name: r.name, language: r.language ?? 'en' },
      subscription: s ? { url: s.url, secret: s.secret, live: s.deleted_at === null } : null,
      notifications: uniqueById(carried),
      digest: c.notification_id === null,
    });
  }
  return out;
}

function uniqueById(list: CarriedNotification[]): CarriedNotification[] {
  const seen = new Set<string>();
  return list.filter((n) => {
    if (seen.has(n.id)) return false;
    seen.add(n.id);
    return true;
  });
}
