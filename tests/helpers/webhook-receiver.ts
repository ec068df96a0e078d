import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

// A real HTTP receiver of Standard Webhooks: it verifies every request's signature with the
// subscription's secret (a bad one is kept aside and answered 401), and can fail on purpose.

export interface ReceivedWebhook {
  path: string;
  id: string;
  timestamp: number;
  body: Record<string, unknown>;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, verified, with the status it was answered. */
  requests: ReceivedWebhook[];
  /** Requests whose signature did not verify. */
  forged: string[];
  /** The secret to verify with, per path. */
  secrets: Map<string, string>;
  /** Answers 500 to the next `n` requests on `path`; `Infinity` until told otherwise. */
  failNext(path: string, n: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const forged: string[] = [];
  const secrets = new Map<string, string>();
  const failing = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const raw = Buffer.concat(chunks).toString('utf8');
      const secret = secrets.get(path);
      let body: Record<string, unknown>;
      try {
        if (!secret) throw new Error('no secret for this path');
        body = new Webhook(secret).verify(raw, req.headers as Record<string, string>) as Record<
          string,
          unknown
        >;
      } catch (error) {
        forged.push(`${path}: ${(error as Error).message}`);
        res.writeHead(401).end();
        return;
      }
      const left = failing.get(path) ?? 0;
      const status = left > 0 ? 500 : 204;
      if (left > 0) failing.set(path, left - 1);
      requests.push({
        path,
        id: String(req.headers['webhook-id']),
        timestamp: Number(req.headers['webhook-timestamp']),
        body,
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forged,
    secrets,
    failNext(path, n) {
      failing.set(path, n);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
