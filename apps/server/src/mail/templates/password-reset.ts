import { z } from 'zod';
import { defineMailTemplate, MailLinkSchema, type Strings } from './context';
import { simpleMail } from './layout';

const data = z.object({ name: z.string(), url: MailLinkSchema, expiresInMinutes: z.number().int().positive() });
type Data = z.infer<typeof data>;

const strings: Strings<(d: Data, workspace: string) => Parameters<typeof simpleMail>[1]> = {
  en: (d, workspace) => ({
    subject: `Reset your ${workspace} password`,
    greeting: `Hi ${d.name},`,
    paragraphs: [
      `Someone, hopefully you, asked to reset the password of your ${workspace} account.`,
      `The link works once, for ${d.expiresInMinutes} minutes.`,
    ],
    action: { label: 'Choose a new password', url: d.url },
    after: ["You didn't ask? Ignore this mail: your password stays as it is."],
  }),
  de: (d, workspace) => ({
    subject: `Dein Passwort für ${workspace} zurücksetzen`,
    greeting: `Hallo ${d.name},`,
    paragraphs: [
      `Jemand, hoffentlich du, möchte das Passwort deines Kontos bei ${workspace} zurücksetzen.`,
      `Der Link funktioniert einmal, ${d.expiresInMinutes} Minuten lang.`,
    ],
    action: { label: 'Neues Passwort wählen', url: d.url },
    after: ['Das warst du nicht? Dann ignoriere diese E-Mail: Dein Passwort bleibt, wie es ist.'],
  }),
};

export const passwordReset = defineMailTemplate({
  data,
  render: (d, ctx) => simpleMail(ctx, ctx.t(strings)(d, ctx.branding.name)),
});
