import { EmailCategorySchema } from '@parley/protocol';
import { z } from 'zod';
import { DEFAULT_ACCENT, defineMailTemplate, MailLinkSchema, type Strings } from './context';
import { html } from './html';
import { layoutHtml, layoutText } from './layout';

const data = z.object({
  name: z.string(),
  category: EmailCategorySchema,
  /** Newest first: each a conversation or ticket with what is unread there. */
  items: z
    .array(
      z.object({
        sentence: z.string(),
        subject: z.string().nullable(),
        preview: z.string().nullable(),
        /** How many things happened there since it was last read. */
        count: z.number().int().positive(),
        url: MailLinkSchema,
      }),
    )
    .min(1)
    .max(50),
  /** More than `items` holds. */
  more: z.number().int().min(0),
});
type Data = z.infer<typeof data>;

interface Words {
  greeting: (name: string) => string;
  subject: (d: Data, workspace: string) => string;
  intro: (workspace: string) => string;
  count: (n: number) => string;
  open: string;
  more: (n: number) => string;
  why: Record<Data['category'], string>;
}

const strings: Strings<Words> = {
  en: {
    greeting: (name) => `Hi ${name},`,
    subject: (d, workspace) =>
      d.items.length === 1 && d.more === 0
        ? `[${workspace}] ${d.items[0]!.sentence}${d.items[0]!.subject ? `: ${d.items[0]!.subject}` : ''}`
        : `${d.items.length + d.more} unread in ${workspace}`,
    intro: (workspace) => `This is waiting for you in ${workspace}:`,
    count: (n) => (n === 1 ? '' : ` (${n} new)`),
    open: 'Open',
    more: (n) => `…and ${n} more in the app.`,
    why: {
      messages: 'You get this mail for unread chats.',
      tickets: 'You get this mail for news on your tickets.',
      assignments: 'You get this mail for work given to you or your team.',
    },
  },
  de: {
    greeting: (name) => `Hallo ${name},`,
    subject: (d, workspace) =>
      d.items.length === 1 && d.more === 0
        ? `[${workspace}] ${d.items[0]!.sentence}${d.items[0]!.subject ? `: ${d.items[0]!.subject}` : ''}`
        : `${d.items.length + d.more} ungelesen in ${workspace}`,
    intro: (workspace) => `Das wartet in ${workspace} auf dich:`,
    count: (n) => (n === 1 ? '' : ` (${n} neu)`),
    open: 'Öffnen',
    more: (n) => `…und ${n} weitere in der App.`,
    why: {
      messages: 'Du bekommst diese E-Mail für ungelesene Chats.',
      tickets: 'Du bekommst diese E-Mail für Neuigkeiten zu deinen Tickets.',
      assignments: 'Du bekommst diese E-Mail für Arbeit, die dir oder deinem Team gegeben wurde.',
    },
  },
};

/**
 * What is still unread some minutes after it came, in one mail per category: a chat's new
 * messages, a ticket's replies, new work. Each entry links to where it is in the app.
 */
export const notificationDigest = defineMailTemplate({
  data,
  render: (d, ctx) => {
    const words = ctx.t(strings);
    const workspace = ctx.branding.name;
    const subject = words.subject(d, workspace);
    const accent = /^#[0-9a-fA-F]{6}$/.test(ctx.branding.accentColor) ? ctx.branding.accentColor : DEFAULT_ACCENT;
    const content = html`<p>${words.greeting(d.name)}</p>
      <p>${words.intro(workspace)}</p>
      ${d.items.map(
        (item) =>
          html`<div style="border-left:3px solid ${accent};padding:4px 12px;margin:12px 0">
            <div style="font-weight:600">${item.subject ?? item.sentence}${words.count(item.count)}</div>
            ${item.subject ? html`<div style="color:#374151">${item.sentence}</div>` : ''}
            ${item.preview ? html`<div style="color:#6b7280">${item.preview}</div>` : ''}
            <a href="${item.url}" style="color:${accent}">${words.open}</a>
          </div> `,
      )}${d.more > 0 ? html`<p>${words.more(d.more)}</p>` : ''}
      <p style="font-size:13px;color:#6b7280">${words.why[d.category]}</p>`;
    const text = [
      words.greeting(d.name),
      '',
      words.intro(workspace),
      '',
      ...d.items.flatMap((item) => [
        `* ${item.subject ?? item.sentence}${words.count(item.count)}`,
        ...(item.subject ? [`  ${item.sentence}`] : []),
        ...(item.preview ? [`  ${item.preview}`] : []),
        `  ${item.url}`,
        '',
      ]),
      ...(d.more > 0 ? [words.more(d.more), ''] : []),
      words.why[d.category],
    ].join('\n');
    return { subject, text: layoutText(ctx, text), html: layoutHtml(ctx, subject, content) };
  },
});
