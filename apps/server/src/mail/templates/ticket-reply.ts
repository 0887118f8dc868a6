import { z } from 'zod';
import { defineMailTemplate, type Strings } from './context';
import { html } from './html';
import { layoutHtml, layoutText } from './layout';

/** A staff member's public reply in a ticket that came by mail (email-inbox/email-replies.ts). */
const data = z.object({
  /** The ticket's subject; the mail's is "Re: " and that. */
  subject: z.string(),
  authorName: z.string(),
  /** The message as written (markdown source reads as plain text). */
  body: z.string(),
  /** Files of the message that did not fit into the mail. */
  omittedFiles: z.array(z.string()),
  /** How the reader answers: by replying to the mail, or in the website's chat (a widget's guest). */
  answer: z.enum(['mail', 'chat']),
});
type Data = z.infer<typeof data>;

const strings: Strings<{ omitted: (files: string) => string; answer: Record<Data['answer'], string> }> = {
  en: {
    omitted: (files) => `Too large to attach here, kept in the ticket: ${files}`,
    answer: { mail: 'Reply to this email to answer.', chat: 'Answer in the chat on our website.' },
  },
  de: {
    omitted: (files) => `Zu groß für diese E-Mail, im Ticket abgelegt: ${files}`,
    answer: { mail: 'Antworte einfach auf diese E-Mail.', chat: 'Antworte im Chat auf unserer Website.' },
  },
};

const reSubject = (subject: string) => (/^re:/i.test(subject) ? subject : `Re: ${subject}`);

export const ticketReply = defineMailTemplate({
  data,
  render(d: Data, ctx) {
    const words = ctx.t(strings);
    const paragraphs = d.body.split(/\n{2,}/).map((p) => p.split('\n'));
    const omitted = d.omittedFiles.length > 0 ? words.omitted(d.omittedFiles.join(', ')) : null;
    const content = html`${paragraphs.map((lines) => html`<p>${lines.map((line, i) => html`${i > 0 ? html`<br />` : ''}${line}`)}</p>`)}
      <p style="color:#374151">— ${d.authorName}, ${ctx.branding.name}</p>
      ${omitted ? html`<p style="font-size:13px;color:#6b7280">${omitted}</p>` : ''}
      <p style="font-size:13px;color:#6b7280">${words.answer[d.answer]}</p>`;
    const text = [
      d.body,
      '',
      `— ${d.authorName}, ${ctx.branding.name}`,
      ...(omitted ? ['', omitted] : []),
      '',
      words.answer[d.answer],
    ].join('\n');
    const subject = reSubject(d.subject);
    return { subject, text: layoutText(ctx, text), html: layoutHtml(ctx, subject, content) };
  },
});
