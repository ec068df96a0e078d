import nodemailer from 'nodemailer';
import type { MailContent } from './templates.js';

// Sends e-mail over SMTP (SMTP_URL) through a pool of connections. The Message-ID is the
// delivery's id, so a message sent again after a failure is recognisably the same message.

export interface Mailer {
  send(message: MailContent & { to: string; deliveryId: string }): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const url = new URL(options.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? {
          auth: {
            user: decodeURIComponent(url.username),
            pass: decodeURIComponent(url.password),
          },
        }
      : {}),
    // A local relay often has a self-signed certificate; `?tls=relaxed` says so explicitly.
    tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'relaxed' },
    pool: true,
    maxConnections: 5,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

  return {
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdOf(message.deliveryId, options.from),
      });
    },
    close() {
      transport.close();
    },
  };
}

/** The Message-ID a delivery's e-mail carries. */
export function messageIdOf(deliveryId: string, from: string): string {
  const domain = from.split('@').at(-1)?.replace(/>$/, '') || 'localhost';
  return `<${deliveryId}@${domain}>`;
}
