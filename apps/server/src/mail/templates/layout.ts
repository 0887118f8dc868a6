import { DEFAULT_ACCENT, type MailContext, type RenderedMail, type Strings } from './context';
import { html, type SafeHtml } from './html';

const FOOTER: Strings<{ sentBy: (workspace: string) => string; unsubscribe: string; unsubscribeText: string }> = {
  en: {
    sentBy: (workspace) => `Sent by ${workspace} with Parley.`,
    unsubscribe: 'Unsubscribe from these mails',
    unsubscribeText: 'Unsubscribe from these mails:',
  },
  de: {
    sentBy: (workspace) => `Gesendet von ${workspace} mit Parley.`,
    unsubscribe: 'Diese E-Mails abbestellen',
    unsubscribeText: 'Diese E-Mails abbestellen:',
  },
};

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Only web links go into an href: whatever else a caller passes is shown as text. */
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

/** The branded frame every mail shares: logo or name on top, the content, the footer. */
export function layoutHtml(ctx: MailContext, title: string, content: SafeHtml): string {
  const accent = HEX.test(ctx.branding.accentColor) ? ctx.branding.accentColor : DEFAULT_ACCENT;
  const footer = ctx.t(FOOTER);
  const logo =
    ctx.branding.logoUrl && isWebUrl(ctx.branding.logoUrl)
      ? html`<img
          src="${ctx.branding.logoUrl}"
          alt="${ctx.branding.name}"
          height="40"
          style="display:block;max-height:40px"
        />`
      : html`<strong style="font-size:18px;color:${accent}">${ctx.branding.name}</strong>`;
  const unsubscribe =
    ctx.unsubscribeUrl && isWebUrl(ctx.unsubscribeUrl)
      ? html`<br /><a href="${ctx.unsubscribeUrl}" style="color:#6b7280">${footer.unsubscribe}</a>`
      : '';
  return html`<!doctype html>
    <html lang="${ctx.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>${title}</title>
      </head>
      <body
        style="margin:0;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111827"
      >
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
          <tr>
            <td align="center" style="padding:24px">
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                style="max-width:560px;background:#ffffff;border-radius:8px;border-top:4px solid ${accent}"
              >
                <tr>
                  <td style="padding:24px 24px 8px">${logo}</td>
                </tr>
                <tr>
                  <td style="padding:8px 24px 24px;font-size:15px;line-height:1.5">${content}</td>
                </tr>
              </table>
              <p style="font-size:12px;color:#6b7280">${footer.sentBy(ctx.branding.name)}${unsubscribe}</p>
            </td>
          </tr>
        </table>
      </body>
    </html> `.value;
}

export function layoutText(ctx: MailContext, content: string): string {
  const footer = ctx.t(FOOTER);
  const lines = [content.trimEnd(), '', '-- ', footer.sentBy(ctx.branding.name)];
  if (ctx.unsubscribeUrl) lines.push(`${footer.unsubscribeText} ${ctx.unsubscribeUrl}`);
  return lines.join('\n') + '\n';
}

/** The usual account mail: a greeting, a few paragraphs, one button (its link spelt out too), a closing note. */
export interface SimpleMail {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  after?: string[];
}

export function simpleMail(ctx: MailContext, mail: SimpleMail): RenderedMail {
  const accent = HEX.test(ctx.branding.accentColor) ? ctx.branding.accentColor : DEFAULT_ACCENT;
  const action = mail.action;
  const content = html`<p>${mail.greeting}</p>
    ${mail.paragraphs.map((p) => html`<p>${p}</p> `)}${
      action
        ? html`<p style="margin:24px 0">
              <a
                href="${action.url}"
                style="background:${accent};color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block"
                >${action.label}</a
              >
            </p>
            <p style="font-size:13px;color:#6b7280;word-break:break-all">${action.url}</p> `
        : ''
    }${(mail.after ?? []).map((p) => html`<p style="font-size:13px;color:#6b7280">${p}</p> `)}`;
  const text = [
    mail.greeting,
    '',
    ...mail.paragraphs.flatMap((p) => [p, '']),
    ...(action ? [`${action.label}: ${action.url}`, ''] : []),
    ...(mail.after ?? []).flatMap((p) => [p, '']),
  ].join('\n');
  return { subject: mail.subject, text: layoutText(ctx, text), html: layoutHtml(ctx, mail.subject, content) };
}
