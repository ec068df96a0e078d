import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server in the test process: it keeps every message it accepts, and can refuse the
// next few on purpose (a 451, as a mail relay that is busy does) or be stopped to be "down".

export interface ReceivedMail {
  to: string[];
  messageId: string;
  subject: string;
  raw: string;
  /** The message with quoted-printable undone, to search its words. */
  decoded: string;
}

export interface SmtpReceiver {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Message-IDs of the messages refused so far. */
  refused: string[];
  /** Refuses the next `n` messages. */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

const quotedPrintable = (raw: string) =>
  Buffer.from(
    raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      ),
    'latin1',
  ).toString('utf8');

const header = (raw: string, name: string) => {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
};

export async function startSmtpReceiver(port = 0): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const refused: string[] = [];
  let toRefuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = header(raw, 'Message-ID');
        if (toRefuse > 0) {
          toRefuse--;
          refused.push(messageId);
          const error = Object.assign(new Error('busy, try again later'), { responseCode: 451 });
          return callback(error);
        }
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId,
          subject: header(raw, 'Subject'),
          raw,
          decoded: quotedPrintable(raw),
        });
        callback();
      });
    },
  });
  // A sender killed in mid-session (crash-recovery kills the server with -9) resets its connection;
  // smtp-server reports that as an 'error' event, which must not end the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${address}`,
    port: address,
    received,
    refused,
    refuseNext(n) {
      toRefuse = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
