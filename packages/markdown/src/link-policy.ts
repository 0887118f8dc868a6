/**
 * Which link targets a message may carry. Everything not on this list is refused, and a refused
 * link is shown as the text it was written as, never as a link.
 */
export const LINK_SCHEMES = ['http', 'https', 'mailto'] as const;

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Whitespace, C0/C1 controls and the invisible format characters anywhere in a target refuse it. */
const UNSAFE_CHAR = /[\s\p{Cc}\p{Cf}]/u;
/** Longer targets are not links people write; refusing them bounds what reaches a browser. */
const MAX_HREF_LENGTH = 2048;

/**
 * True when `href` may be a link: an absolute http(s) URL with a host (`https://…`) or a
 * `mailto:` address, with no whitespace or control characters anywhere. Relative and
 * protocol-relative targets (`/x`, `//host`) are refused too: a chat message has no base URL.
 * Give it the target as the parser normalised it (entities decoded, percent-encoded), which is
 * what a browser would follow.
 */
export function isAllowedHref(href: string): boolean {
  if (href.length === 0 || href.length > MAX_HREF_LENGTH || UNSAFE_CHAR.test(href)) return false;
  const match = SCHEME.exec(href);
  if (!match) return false;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'mailto') return href.length > match[0].length;
  if (scheme !== 'http' && scheme !== 'https') return false;
  // `http:example.com` and `https:/x` are not absolute URLs; browsers guess, we do not.
  return /^\/\/[^/?#\\]/.test(href.slice(match[0].length));
}
