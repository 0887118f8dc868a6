import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_LENGTH, parseMarkdown, plainText, type MdBlock, type MdInline } from './index';

/** How deep the tree goes, blocks and inline markup together. */
function depth(blocks: readonly MdBlock[]): number {
  const inlineDepth = (nodes: readonly MdInline[]): number =>
    Math.max(0, ...nodes.map((n) => ('children' in n ? 1 + inlineDepth(n.children) : 0)));
  return Math.max(
    0,
    ...blocks.map((b) => {
      if (b.type === 'paragraph') return 1 + inlineDepth(b.children);
      if (b.type === 'blockquote') return 1 + depth(b.children);
      if (b.type === 'list') return 1 + Math.max(0, ...b.items.map(depth));
      return 1;
    }),
  );
}

describe('a message built to hurt the parser', () => {
  const shapes: Record<string, string> = {
    'quotes 5,000 deep': '>'.repeat(5_000) + ' deep',
    'spaced quotes 3,000 deep': '> '.repeat(3_000) + 'deep',
    'bullets 3,000 deep': '* '.repeat(3_000) + 'deep',
    'numbered lists nested by indent': Array.from({ length: 60 }, (_, i) => ' '.repeat(3 * i) + '1. x').join('\n'),
    'stars 4,999 deep around a word': '*'.repeat(4_999) + 'x' + '*'.repeat(4_999),
    'alternating emphasis': '*_'.repeat(2_499) + 'x' + '_*'.repeat(2_499),
    'spoilers 2,000 deep': '||'.repeat(2_000) + 'x' + '||'.repeat(2_000),
    'brackets 4,990 deep': '['.repeat(4_990) + 'x' + ']'.repeat(4_980) + '(https://e.example)',
    'open brackets only': '['.repeat(10_000),
    'stars only': '*'.repeat(10_000),
    backticks: '`'.repeat(5_000) + 'x' + '`'.repeat(4_999),
    'angle brackets': '<'.repeat(10_000),
    'links in links': '[a]('.repeat(2_500),
  };

  for (const [name, source] of Object.entries(shapes)) {
    it(`[MD10] survives ${name}: a tree, never deeper than the bounds, with its words kept`, () => {
      expect(source.length).toBeLessThanOrEqual(MAX_MARKDOWN_LENGTH);
      const tree = parseMarkdown(source);
      expect(tree.length).toBeGreaterThan(0);
      // Block nesting stops at FLAT_BLOCK_LEVEL (12, a list takes two), inline at 8.
      expect(depth(tree)).toBeLessThanOrEqual(12 + 8 + 1);
      expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
    });
  }

  it('[MD10] shows what is past the nesting bound as text, rather than dropping it', () => {
    expect(plainText('>'.repeat(40) + ' the end')).toMatch(/> the end$/);
    expect(plainText('*'.repeat(40) + 'word' + '*'.repeat(40))).toContain('word');
  });

  it('[MD10] takes a body over the protocol limit as plain text, line by line', () => {
    const long = '**x** '.repeat(2_000) + '\nend';
    expect(long.length).toBeGreaterThan(MAX_MARKDOWN_LENGTH);
    const tree = parseMarkdown(long);
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ type: 'paragraph' });
    expect(plainText(long)).toBe(long);
  });
});
