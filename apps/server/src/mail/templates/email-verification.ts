import { z } from 'zod';
import { defineMailTemplate, MailLinkSchema, type Strings } from './context';
import { simpleMail } from './layout';

const data = z.object({ name: z.string(), url: MailLinkSchema, expiresInHours: z.number().int().positive() });
type Data = z.infer<typeof data>;

const strings: Strings<(d: Data, workspace: string) => Parameters<typeof simpleMail>[1]> = {
  en: (d, workspace) => ({
    subject: `Confirm your email address for ${workspace}`,
    greeting: `Hi ${d.name},`,
    paragraphs: [`Please confirm that this is your address. The link works once, for ${d.expiresInHours} hours.`],
    action: { label: 'Confirm my address', url: d.url },
    after: ["You didn't ask? Ignore this mail."],
  }),
  de: (d, workspace) => ({
    subject: `Bestätige deine E-Mail-Adresse für ${workspace}`,
    greeting: `Hallo ${d.name},`,
    paragraphs: [
      `Bitte bestätige, dass dies deine Adresse ist. Der Link funktioniert einmal, ${d.expiresInHours} Stunden lang.`,
    ],
    action: { label: 'Adresse bestätigen', url: d.url },
    after: ['Das warst du nicht? Dann ignoriere diese E-Mail.'],
  }),
};

export const emailVerification = defineMailTemplate({
  data,
  render: (d, ctx) => simpleMail(ctx, ctx.t(strings)(d, ctx.branding.name)),
});
