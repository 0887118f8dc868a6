import { buildBlocks } from './build-tree';
import { markdownParser } from './parser';
import { blocksText, type PlainTextOptions } from './plain-text';
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
