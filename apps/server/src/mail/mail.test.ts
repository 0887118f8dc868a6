import { describe, expect, it } from 'vitest';
import { createMailer } from './mailer';
import { mailContext } from './templates/context';
import { html } from './templates/html';
import { renderTemplate } from './templates';

const branding = { name: 'Acme', accentColor: '#e11d48', logoUrl: null };
const sample = {
  password_reset: { name: 'Ida', url: 'https://parley.test/reset-password?token=t', expiresInMinutes: 60 },
  password_changed: { name: 'Ida' },
  email_verification: { name: 'Ida', url: 'https://parley.test/verify-email?token=t', expiresInHours: 24 },
  notification_digest: {
    name: 'Ida',
    category: 'tickets',
    items: [
      { sentence: 'Sam replied', subject: 'Invoice', preview: 'Fixed', count: 2, url: 'https://parley.test/tickets/1' },
      { sentence: 'Kim replied', subject: null, preview: null, count: 1, url: 'https://parley.test/tickets/2' },
    ],
    more: 0,
  },
};

describe('mail templates', () => {
  it('escapes what a tagged template interpolates, and keeps what another one built', () => {
    const inner = html`<b>${'<i>&</i>'}</b>`;
    expect(html`<p title="${'"quoted"'}">${inner}${["'", null, false]}</p>`.value).toBe(
      '<p title="&quot;quoted&quot;"><b>&lt;i&gt;&amp;&lt;/i&gt;</b>&#39;</p>',
    );
  });

  // A ticket reply is the staff member's words, not a greeting from the workspace: tested below.
  it.each(Object.keys(sample) as (keyof typeof sample)[])(
    '%s speaks English and German, branded, with its words in both bodies',
    (name) => {
      const en = renderTemplate(name, sample[name], mailContext('en', branding, 'https://parley.test'));
      const de = renderTemplate(name, sample[name], mailContext('de', branding, 'https://parley.test'));
      expect(en.subject).toContain('Acme');
      expect(de.subject).toContain('Acme');
      expect(de.subject).not.toBe(en.subject);
      expect(en.text).toContain('Hi Ida,');
      expect(de.text).toContain('Hallo Ida,');
      expect(de.html).toContain('<html lang="de">');
      expect(en.html).toContain('#e11d48');
    },
  );
});

describe('a ticket reply by mail', () => {
  const reply = (locale: 'en' | 'de', omittedFiles: string[] = [], answer: 'mail' | 'chat' = 'mail') =>
    renderTemplate(
      'ticket_reply',
      {
        subject: 'Invoice <missing>',
        authorName: 'Sam <Agent>',
        body: 'Found it.\n<b>Paid</b>\n\nAnything else?',
        omittedFiles,
        answer,
      },
      mailContext(locale, branding, 'https://parley.test'),
    );

  it('keeps the words as written, in paragraphs, escaped, and signed by the author and the workspace', () => {
    const mail = reply('en');
    expect(mail.subject).toBe('Re: Invoice <missing>');
    expect(mail.text).toContain('Found it.\n<b>Paid</b>\n\nAnything else?\n\n— Sam <Agent>, Acme');
    expect(mail.html).toContain('<p>Found it.<br />&lt;b&gt;Paid&lt;/b&gt;</p><p>Anything else?</p>');
    expect(mail.html).toContain('— Sam &lt;Agent&gt;, Acme');
    expect(mail.html).not.toContain('<b>Paid');
  });

  it("names the files that did not fit, in the reader's language", () => {
    expect(reply('en', ['big.mov']).text).toContain('Too large to attach here, kept in the ticket: big.mov');
    expect(reply('de', ['big.mov']).text).toContain('Zu groß für diese E-Mail, im Ticket abgelegt: big.mov');
    expect(reply('de').text).toContain('Antworte einfach auf diese E-Mail.');
    expect(reply('en').text).not.toContain('Too large');
    expect(reply('en', [], 'chat').text).toContain('Answer in the chat on our website.');
    expect(reply('en', [], 'chat').text).not.toContain('Reply to this email');
  });
});

describe('mail without SMTP', () => {
  const logged = async (env: 'development' | 'production') => {
    const lines: { details: object; message: string }[] = [];
    const mailer = createMailer({
      smtpUrl: undefined,
      from: 'Parley <no-reply@localhost>',
      env,
      log: { info: (details, message) => void lines.push({ details, message }) },
    });
    await mailer.send({
      to: { email: 'ida@example.com' },
      subject: 'Reset',
      text: 'the link: https://parley.test/reset-password?token=secret',
      html: '<p>x</p>',
      template: 'password_reset',
      messageId: '<1@parley.mail>',
      headers: {},
    });
    return lines;
  };

  it('logs the text for a developer to follow the link', async () => {
    expect(await logged('development')).toEqual([
      {
        message: 'mail not sent: SMTP_URL is not set',
        details: {
          mail: {
            to: 'ida@example.com',
            template: 'password_reset',
            subject: 'Reset',
            text: 'the link: https://parley.test/reset-password?token=secret',
          },
        },
      },
    ]);
  });

  it('keeps the text, and its links, out of production logs', async () => {
    const [line] = await logged('production');
    expect(line!.details).toEqual({ mail: { to: 'ida@example.com', template: 'password_reset', subject: 'Reset' } });
  });
});
