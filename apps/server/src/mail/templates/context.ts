import { z } from 'zod';
import type { Locale } from '@parley/protocol';

/** A link in a mail: web addresses only (never `javascript:` or the like). */
export const MailLinkSchema = z.url({ protocol: /^https?$/ });

/** The workspace a mail speaks for: its name, accent colour (`#rrggbb`) and logo (an absolute URL). */
export interface Branding {
  name: string;
  accentColor: string;
  logoUrl: string | null;
}

/** A template's words in every language Parley speaks. */
export type Strings<S> = Record<Locale, S>;

export interface MailContext {
  locale: Locale;
  /** The template's words in the mail's language. */
  t<S>(strings: Strings<S>): S;
  branding: Branding;
  /** Base of every link, no trailing slash. */
  publicUrl: string;
  /** Present: the footer links here (the List-Unsubscribe headers are the sender's business). */
  unsubscribeUrl: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The app's own accent, for a workspace that did not choose one. */
export const DEFAULT_ACCENT = '#4f46e5';

export function mailContext(
  locale: Locale,
  branding: Branding,
  publicUrl: string,
  unsubscribeUrl: string | null = null,
): MailContext {
  return { locale, t: (strings) => strings[locale], branding, publicUrl, unsubscribeUrl };
}

export interface MailTemplate<D> {
  /** Checked when the mail is queued, so a bad payload fails its caller, not a job hours later. */
  data: z.ZodType<D>;
  render(data: D, ctx: MailContext): RenderedMail;
}

export const defineMailTemplate = <D>(template: MailTemplate<D>): MailTemplate<D> => template;
