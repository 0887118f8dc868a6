import { describe, expect, it } from 'vitest';
import { automaticReason, replyText } from './mail-text';

describe("an inbound mail's own words", () => {
  it('drops the history Gmail quotes under "On … wrote:", even wrapped over two lines', () => {
    const mail = [
      'Thanks, that fixed it.',
      '',
      'On Mon, 1 Dec 2026 at 10:02, Sam Staff from Acme Support',
      '<support@acme.example> wrote:',
      '> Try signing out and in again.',
    ].join('\r\n');
    expect(replyText(mail)).toBe('Thanks, that fixed it.');
  });

  it('drops German, Outlook and forwarded histories, signatures and "Sent from my iPhone"', () => {
    expect(replyText('Danke!\n\nAm 01.12.2026 um 10:02 schrieb Sam <s@acme.example>:\n> Hallo')).toBe('Danke!');
    expect(replyText('Still broken.\n\nFrom: Sam\nSent: Monday\nTo: Carla\n\nHello')).toBe('Still broken.');
    expect(replyText('See below\n________________________________\nFrom: Sam')).toBe('See below');
    expect(replyText('FYI\n---------- Forwarded message ---------\nFrom: x')).toBe('FYI');
    expect(replyText('It works now.\n\n-- \nCarla Diaz\nHead of Finance')).toBe('It works now.');
    expect(replyText('On my way.\n\nSent from my iPhone')).toBe('On my way.');
  });

  it('keeps quotes inside the reply, and keeps everything rather than nothing', () => {
    expect(replyText('> the export hangs\nIt still does.\n\nOn Mon, Sam wrote:\n> old')).toBe(
      '> the export hangs\nIt still does.',
    );
    expect(replyText('On Mon, 1 Dec 2026, Sam wrote:\n> just a quote')).toBe(
      'On Mon, 1 Dec 2026, Sam wrote:\n> just a quote',
    );
    expect(replyText('From: the customer, a first line that is only text')).toBe(
      'From: the customer, a first line that is only text',
    );
  });
});

describe('mail no person wrote', () => {
  const headers = (entries: Record<string, unknown>) => new Map(Object.entries(entries));

  it('recognises bounces, auto-replies, bulk and list mail, so none opens a ticket or gets an answer', () => {
    expect(automaticReason(headers({}), '')).toMatch(/^bounce/);
    expect(automaticReason(headers({}), 'MAILER-DAEMON@mx.example')).toMatch(/^bounce/);
    expect(
      automaticReason(headers({ 'content-type': { value: 'multipart/report', params: {} } }), 'a@b.example'),
    ).toMatch(/^bounce/);
    expect(automaticReason(headers({ 'auto-submitted': 'auto-replied' }), 'a@b.example')).toMatch(/auto-submitted/);
    expect(automaticReason(headers({ precedence: 'bulk' }), 'a@b.example')).toMatch(/precedence/);
    expect(automaticReason(headers({ 'x-auto-response-suppress': 'All' }), 'a@b.example')).not.toBeNull();
    expect(automaticReason(headers({ 'x-autoreply': 'yes' }), 'a@b.example')).not.toBeNull();
    expect(automaticReason(headers({ 'list-id': '<dev.lists.example>' }), 'a@b.example')).toBe('mailing list');
  });

  it('lets a person through, "Auto-Submitted: no" included', () => {
    expect(automaticReason(headers({ 'auto-submitted': 'no', subject: 'Help' }), 'carla@example.com')).toBeNull();
    expect(
      automaticReason(headers({ 'content-type': { value: 'text/plain', params: {} } }), 'carla@example.com'),
    ).toBeNull();
  });
});
