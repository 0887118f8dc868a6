import nodemailer from 'nodemailer';

/** A rendered mail on its way out. */
export interface OutgoingMail {
  to: MailAddress;
  subject: string;
  text: string;
  html: string;
  /** Which template made it, for the log. */
  template: string;
  /** The same for every attempt of one job, so a receiver can tell a repeat. */
  messageId: string;
  headers: Record<string, string>;
  /** Instead of MAIL_FROM: a support address's replies come from that address. */
  from?: MailAddress;
  replyTo?: string;
  /** Threading (RFC 5322): the mail this answers, and the thread's ids oldest first. */
  inReplyTo?: string;
  references?: string[];
  /** Files read from disk while sending. */
  attachments?: { filename: string; path: string; contentType: string }[];
}

export interface MailAddress {
  email: string;
  name?: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the mail; throws when it did not (the job retries). */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

interface MailLog {
  info(details: object, message: string): void;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  env: 'development' | 'production' | 'test';
  log: MailLog;
}

/** Each step of one SMTP conversation gets this long; well inside the `mail.send` job's lease. */
const SMTP_TIMEOUT_MS = 30_000;

/**
 * SMTP when `SMTP_URL` is set. Otherwise mail goes nowhere: one log line per mail (to, template,
 * subject), with the text body outside production, so a developer can follow a reset link.
 */
export function createMailer(options: MailerOptions): Mailer {
  if (!options.smtpUrl) return loggingMailer(options);
  const transport = nodemailer.createTransport(
    {
      url: options.smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    },
    { from: options.from },
  );
  return {
    async send(mail) {
      await transport.sendMail({
        to: addressOf(mail.to),
        ...(mail.from && { from: addressOf(mail.from) }),
        ...(mail.replyTo && { replyTo: mail.replyTo }),
        ...(mail.inReplyTo && { inReplyTo: mail.inReplyTo }),
        ...(mail.references && { references: mail.references }),
        ...(mail.attachments && { attachments: mail.attachments }),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
    },
    close: () => transport.close(),
  };
}

const addressOf = (a: MailAddress) => (a.name ? { name: a.name, address: a.email } : a.email);

function loggingMailer({ env, log }: MailerOptions): Mailer {
  return {
    async send(mail) {
      const about = { to: mail.to.email, template: mail.template, subject: mail.subject };
      log.info(
        env === 'production' ? { mail: about } : { mail: { ...about, text: mail.text } },
        'mail not sent: SMTP_URL is not set',
      );
    },
    close() {},
  };
}
