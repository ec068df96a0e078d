import { startSmtpReceiver } from '../tests/helpers/smtp.js';
import { startWebhookReceiver } from '../tests/helpers/webhook-receiver.js';

// The receivers of bench/deliveries.ts in a process of their own, so that taking messages does not
// share the workers' event loop: a real SMTP server and an HTTP receiver that verifies every
// Standard Webhooks signature. Started with fork(); the webhook secret comes as argv[2]. It reports
// its addresses once, then every 100 ms what arrived: the delivery id and when (looked at every
// 5 ms, so an arrival time is at most 5 ms late).

export interface ReceiversReady {
  kind: 'ready';
  smtpUrl: string;
  webhookUrl: string;
}

export interface ReceiversArrivals {
  kind: 'arrivals';
  mail: [string, number][];
  webhook: [string, number][];
  forged: number;
}

const secret = process.argv[2];
if (!secret || !process.send) throw new Error('start me with fork(file, [secret])');
const send = process.send.bind(process);

const smtp = await startSmtpReceiver();
const hooks = await startWebhookReceiver();
hooks.secrets.set('/bench', secret);

// The helpers keep every message; the bench keeps only when each one arrived.
let mailSeen = 0;
let hookSeen = 0;
const mailAt: [string, number][] = [];
const hookAt: [string, number][] = [];
const stamp = setInterval(() => {
  const now = Date.now();
  for (; mailSeen < smtp.received.length; mailSeen++) {
    const id = /^<([^@]+)@/.exec(smtp.received[mailSeen]!.messageId)?.[1] ?? '';
    mailAt.push([id, now]);
    smtp.received[mailSeen]!.raw = '';
    smtp.received[mailSeen]!.decoded = '';
  }
  for (; hookSeen < hooks.requests.length; hookSeen++) {
    hookAt.push([hooks.requests[hookSeen]!.id, now]);
  }
}, 5);
const report = setInterval(() => {
  if (mailAt.length + hookAt.length > 0 || hooks.forged.length > 0) {
    send({
      kind: 'arrivals',
      mail: mailAt.splice(0),
      webhook: hookAt.splice(0),
      forged: hooks.forged.length,
    } satisfies ReceiversArrivals);
  }
}, 100);

process.once('disconnect', async () => {
  clearInterval(stamp);
  clearInterval(report);
  await Promise.all([smtp.close(), hooks.close()]);
  process.exit(0);
});

send({
  kind: 'ready',
  smtpUrl: smtp.url,
  webhookUrl: `${hooks.url}/bench`,
} satisfies ReceiversReady);
