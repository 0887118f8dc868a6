import type { MailContext, MailTemplate, RenderedMail } from './context';
import { emailVerification } from './email-verification';
import { notificationDigest } from './notification-digest';
import { passwordChanged } from './password-changed';
import { passwordReset } from './password-reset';
import { ticketReply } from './ticket-reply';

/** Every mail Parley sends. One template = one file + one line here. */
export const MAIL_TEMPLATES = {
  password_reset: passwordReset,
  password_changed: passwordChanged,
  email_verification: emailVerification,
  notification_digest: notificationDigest,
  ticket_reply: ticketReply,
};

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;
export type MailData<N extends MailTemplateName> = (typeof MAIL_TEMPLATES)[N] extends MailTemplate<infer D> ? D : never;

export const MAIL_TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATES) as [MailTemplateName, ...MailTemplateName[]];

/** Renders `name` with `data` checked against its schema (throws on a mismatch). */
export function renderTemplate(name: MailTemplateName, data: unknown, ctx: MailContext): RenderedMail {
  const template = MAIL_TEMPLATES[name] as MailTemplate<unknown>;
  return template.render(template.data.parse(data), ctx);
}
