/**
 * What of an inbound mail is the person's own words: the reply above the quoted history and the
 * signature. Mail clients quote in their own ways; these are the common ones in English and
 * German (Gmail, Apple Mail, Outlook, Thunderbird). When the cut would leave nothing, the whole
 * text stays: losing a customer's words is worse than showing a quote.
 */

/** "On <date>, <name> wrote:" above the quote; clients wrap it over two lines when it is long. */
const QUOTE_HEADERS = [/^On .{1,300} wrote:$/, /^Am .{1,300} schrieb .{1,300}:$/];
/** Separator lines above a quoted or forwarded mail. */
const SEPARATORS = [
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Forwarded message)\s*-{2,}$/i,
  /^_{20,}$/, // Outlook's rule above "From: … Sent: …"
];
/** Outlook without the rule: a "From:" line with a "Sent:" line under it. */
const OUTLOOK_FROM = /^(From|Von): .+$/;
const OUTLOOK_SENT = /^(Sent|Date|Gesendet|Datum): /;
/** Closing lines a phone adds. */
const SENT_FROM = /^(Sent from my \w+|Von meinem \w+ gesendet|Get Outlook for \w+)\.?$/i;

function startsHistory(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  const next = lines[i + 1]?.trim() ?? '';
  if (SEPARATORS.some((p) => p.test(line))) return true;
  if (QUOTE_HEADERS.some((p) => p.test(line) || p.test(`${line} ${next}`))) return true;
  return OUTLOOK_FROM.test(line) && OUTLOOK_SENT.test(next);
}

/** RFC 3676's signature line "-- " (some clients drop the space). */
const isSignatureLine = (line: string) => line === '-- ' || line.trim() === '--';

export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const end = lines.findIndex((line, i) => startsHistory(lines, i) || isSignatureLine(line));
  const kept = end === -1 ? lines : lines.slice(0, end);
  // A quote at the bottom (">" lines, as a bottom-quoting client leaves after the cut) goes too,
  // and so do blank lines and a phone's "Sent from my iPhone".
  while (kept.length > 0) {
    const last = kept[kept.length - 1]!.trim();
    if (last === '' || last.startsWith('>') || SENT_FROM.test(last)) kept.pop();
    else break;
  }
  return kept.join('\n').trim() || text.trim();
}

/**
 * Why a mail was written by a machine, or null when a person wrote it (RFC 3834 and the common
 * vendor headers). Such mail opens no ticket and is never answered: that is how mail loops end.
 * `headers` as mailparser gives them (lower-case names, structured values where it knows them).
 */
export function automaticReason(headers: Map<string, unknown>, envelopeFrom: string | null): string | null {
  const text = (name: string): string => {
    const value = headers.get(name);
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value.trim().toLowerCase();
    if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value).toLowerCase();
    return String(value).toLowerCase();
  };
  if (envelopeFrom === '') return 'bounce: empty return path';
  const contentType = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value === 'multipart/report') return 'bounce: delivery report';
  const autoSubmitted = text('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return `auto-submitted: ${autoSubmitted}`;
  const precedence = text('precedence');
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `precedence: ${precedence}`;
  const suppress = text('x-auto-response-suppress');
  if (/\b(all|oof|autoreply)\b/.test(suppress)) return `x-auto-response-suppress: ${suppress}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoreply-from', 'x-mail-autoreply'])
    if (headers.has(name)) return name;
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return 'mailing list';
  const from = envelopeFrom?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return 'bounce: mailer daemon';
  return null;
}
