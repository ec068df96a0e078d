import { Webhook } from 'standardwebhooks';

// One Standard Webhooks request: `webhook-id` is the delivery's id (the same on every try),
// `webhook-timestamp` the real time of this try, and the signature is the library's own, over
// "id.timestamp.body" with the subscription's whsec_ secret. A 2xx answer is a delivery.

export async function postWebhook(request: {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
  now: Date;
  timeoutMs: number;
}): Promise<void> {
  const signature = new Webhook(request.secret).sign(request.deliveryId, request.now, request.body);
  const response = await fetch(request.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'guideline-review-engine',
      'webhook-id': request.deliveryId,
      'webhook-timestamp': String(Math.floor(request.now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  // The answer's body is not ours to keep; reading it frees the connection for the next request.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299) {
    throw new Error(`the receiver answered HTTP ${response.status}`);
  }
}

/** A new signing secret in the whsec_ form the Standard Webhooks libraries read. */
export function newWebhookSecret(random: (size: number) => Buffer): string {
  return `whsec_${random(32).toString('base64')}`;
}
