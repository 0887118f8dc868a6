import { z } from 'zod';
import { defineMailTemplate, type Strings } from './context';
import { simpleMail } from './layout';

const data = z.object({ name: z.string() });
type Data = z.infer<typeof data>;

const strings: Strings<(d: Data, workspace: string, signInUrl: string) => Parameters<typeof simpleMail>[1]> = {
  en: (d, workspace, signInUrl) => ({
    subject: `Your ${workspace} password was changed`,
    greeting: `Hi ${d.name},`,
    paragraphs: [
      `The password of your ${workspace} account was just changed, and every other device was signed out.`,
      'If that was not you, choose a new password now with "Forgot password?" on the sign-in page.',
    ],
    action: { label: 'Go to sign in', url: signInUrl },
  }),
  de: (d, workspace, signInUrl) => ({
    subject: `Dein Passwort für ${workspace} wurde geändert`,
    greeting: `Hallo ${d.name},`,
    paragraphs: [
      `Das Passwort deines Kontos bei ${workspace} wurde eben geändert, und alle anderen Geräte wurden abgemeldet.`,
      'Warst du das nicht? Dann wähle jetzt mit „Passwort vergessen?" auf der Anmeldeseite ein neues.',
    ],
    action: { label: 'Zur Anmeldung', url: signInUrl },
  }),
};

export const passwordChanged = defineMailTemplate({
  data,
  render: (d, ctx) => simpleMail(ctx, ctx.t(strings)(d, ctx.branding.name, `${ctx.publicUrl}/`)),
});
