import { buildBlocks } from './build-tree';
import { markdownParser } from './parser';
import { blocksMentions, blocksText, type PlainTextOptions } from './plain-text';
import type { MdBlock } from './tree';

export { isAllowedHref, LINK_SCHEMES } from './link-policy';
export { blocksText as plainTextOf, type PlainTextOptions } from './plain-text';
export type { MdBlock, MdInline, MdListBlock } from './tree';
export { MAX_INLINE_DEPTH } from './build-tree';

/**
 * The longest source parsed as markdown: the protocol's limit for a message body. Anything
 * longer (it cannot be a message) is shown as plain text, so the parser's work stays bounded.
 */
export const MAX_MARKDOWN_LENGTH = 10_000;

function plainBlocks(source: string): MdBlock[] {
  const lines = source.split(/\r\n?|\n/);
  const children = lines.flatMap((line, i) =>
    i === 0
      ? [{ type: 'text' as const, text: line }]
      : [{ type: 'softbreak' as const }, { type: 'text' as const, text: line }],
  );
  return [{ type: 'paragraph', children }];
}

/**
 * A message body as the tree the app draws (docs/markdown.md). Never throws, never yields
 * HTML: raw HTML stays text, links are allow-listed, nesting past the bounds becomes text.
 */
export function parseMarkdown(source: string): MdBlock[] {
  if (source.trim() === '') return [];
  if (source.length > MAX_MARKDOWN_LENGTH) return plainBlocks(source);
  try {
    return buildBlocks(markdownParser().parse(source, {}));
  } catch {
    // Not expected (markdown-it does not throw on input); the words are still worth showing.
    return plainBlocks(source);
  }
}

/** A body without its markdown, for previews, notifications and search snippets. */
export function plainText(source: string, options: PlainTextOptions = {}): string {
  return blocksText(parseMarkdown(source), options);
}

/** What a spoiler's words become where they must stay hidden and no language is at hand. */
export const HIDDEN_SPOILER = '░░░';

/** The longest excerpt: what a reply quotes of the message it answers. */
export const EXCERPT_LENGTH = 140;

/**
 * The first line of a body's words, markdown removed, cut to `max` characters with "…": what a
 * reply shows of the message it answers. Spoilers become `spoiler` (never their words).
 */
export function excerpt(
  source: string,
  { spoiler = '░░░', max = EXCERPT_LENGTH }: { spoiler?: string; max?: number } = {},
): string {
  const line =
    plainText(source, { spoiler })
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The most people one message notifies by mentioning them: more is a list, not a mention. */
export const MAX_MENTIONS = 50;

/**
 * The usernames a body mentions (`@sam`), lower-cased, each once, at most `MAX_MENTIONS`; not
 * those in code, links or quoted blocks' code. `all` and `team` are among them when written.
 */
export function mentionsOf(source: string): string[] {
  return [...blocksMentions(parseMarkdown(source))].slice(0, MAX_MENTIONS);
}
