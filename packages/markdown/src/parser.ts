import markdownit, { type MarkdownIt, type StateBlock } from 'markdown-it';
import { isAllowedHref } from './link-policy';
import { spoilerPlugin } from './spoiler-rule';

/**
 * markdown-it's own bound on nesting. Past it markdown-it stops parsing inline markup (the
 * rest is text) but drops the rest of a nested block, which is why `FLAT_BLOCK_LEVEL` below
 * flattens blocks well before it.
 */
export const MAX_NESTING = 20;

/**
 * From this block level on (each quote adds one, each list two: the list and its item), what
 * is left of a nested block is one paragraph of its text as written: `>>>>…` 5,000 deep shows
 * the quotes it can and then the rest of the markers as text.
 */
export const FLAT_BLOCK_LEVEL = 12;

function flattenDeepBlocks(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.level < FLAT_BLOCK_LEVEL || silent) return false;
  const content = state.getLines(startLine, endLine, state.blkIndent, false).trim();
  state.push('paragraph_open', 'p', 1).map = [startLine, endLine];
  const inline = state.push('inline', '', 0);
  inline.content = content;
  inline.map = [startLine, endLine];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  state.line = endLine;
  return true;
}

/**
 * The chat dialect (docs/markdown.md): CommonMark without raw HTML, indented code, tables,
 * thematic breaks or underlined (setext) headings; with ~~strike~~, ||spoilers|| and bare
 * URLs as links. Links go through the allow-list here and again when the tree is built.
 */
function createParser(): MarkdownIt {
  const md = markdownit({ html: false, linkify: true, typographer: false, maxNesting: MAX_NESTING });
  md.disable(['table', 'code', 'hr', 'lheading', 'html_block', 'html_inline']);
  md.validateLink = isAllowedHref;
  // Bare `//host` and `ftp:` are not links here; neither are IP addresses without a scheme.
  md.linkify.add('//', null).add('ftp:', null).set({ fuzzyIP: false });
  md.block.ruler.before('table', 'flatten_deep_blocks', flattenDeepBlocks);
  md.use(spoilerPlugin);
  return md;
}

let parser: MarkdownIt | undefined;
/** One parser for the process: building one compiles a few hundred regular expressions. */
export const markdownParser = (): MarkdownIt => (parser ??= createParser());
