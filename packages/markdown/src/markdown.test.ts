import { describe, expect, it } from 'vitest';
import { parseMarkdown, type MdBlock, type MdInline } from './index';

/** The inline content of a one-paragraph message. */
function inline(source: string): MdInline[] {
  const blocks = parseMarkdown(source);
  expect(blocks).toHaveLength(1);
  expect(blocks[0]!.type).toBe('paragraph');
  return (blocks[0] as Extract<MdBlock, { type: 'paragraph' }>).children;
}

const text = (t: string): MdInline => ({ type: 'text', text: t });

describe('a message written with markdown', () => {
  it('[MD1] shows **bold**, _italic_, ~~struck~~ and `code` as such, with the words around them', () => {
    expect(inline('Pay **now**, _please_, ~~later~~ with `npm ci`')).toEqual([
      text('Pay '),
      { type: 'strong', children: [text('now')] },
      text(', '),
      { type: 'em', children: [text('please')] },
      text(', '),
      { type: 'strike', children: [text('later')] },
      text(' with '),
      { type: 'code', text: 'npm ci' },
    ]);
    expect(inline('__also bold__ and *also italic*')).toEqual([
      { type: 'strong', children: [text('also bold')] },
      text(' and '),
      { type: 'em', children: [text('also italic')] },
    ]);
  });

  it('[MD1] nests markup, and leaves markup inside code as written', () => {
    expect(inline('**bold _and italic_**')).toEqual([
      { type: 'strong', children: [text('bold '), { type: 'em', children: [text('and italic')] }] },
    ]);
    expect(inline('`**not bold** <b>`')).toEqual([{ type: 'code', text: '**not bold** <b>' }]);
  });

  it('[MD1] leaves underscores inside words alone (snake_case_names), and \\* escapes a star', () => {
    expect(inline('rename snake_case_name now')).toEqual([text('rename snake_case_name now')]);
    expect(inline('2 \\* 3 \\* 4')).toEqual([text('2 * 3 * 4')]);
  });

  it('[MD2] hides ||spoilers|| (which may hold markup) and leaves single bars alone', () => {
    expect(inline('The butler ||did **it**||')).toEqual([
      text('The butler '),
      { type: 'spoiler', children: [text('did '), { type: 'strong', children: [text('it')] }] },
    ]);
    expect(inline('a | b || c')).toEqual([text('a | b || c')]);
    expect(inline('\\|\\|not hidden\\|\\|')).toEqual([text('||not hidden||')]);
  });

  it('[MD3] keeps a fenced code block verbatim with its language', () => {
    expect(parseMarkdown('Try this:\n\n```TS title\nconst a = <b>1</b>;\n  **x**\n```')).toEqual([
      { type: 'paragraph', children: [text('Try this:')] },
      { type: 'code_block', lang: 'ts', text: 'const a = <b>1</b>;\n  **x**' },
    ]);
    expect(parseMarkdown('~~~\nplain\n~~~')).toEqual([{ type: 'code_block', lang: null, text: 'plain' }]);
  });

  it('[MD4] makes links of [text](url), <url>, bare http(s) URLs and email addresses', () => {
    expect(inline('[the docs](https://example.com/a?b=1#c) or <https://example.org>')).toEqual([
      { type: 'link', href: 'https://example.com/a?b=1#c', children: [text('the docs')] },
      text(' or '),
      { type: 'link', href: 'https://example.org', children: [text('https://example.org')] },
    ]);
    expect(inline('See http://example.com/x, or write to help@example.com.')).toEqual([
      text('See '),
      { type: 'link', href: 'http://example.com/x', children: [text('http://example.com/x')] },
      text(', or write to '),
      { type: 'link', href: 'mailto:help@example.com', children: [text('help@example.com')] },
      text('.'),
    ]);
  });

  it('[MD4] resolves reference links to allowed targets', () => {
    expect(parseMarkdown('Read [the guide][g].\n\n[g]: https://example.com/guide')).toEqual([
      {
        type: 'paragraph',
        children: [
          text('Read '),
          { type: 'link', href: 'https://example.com/guide', children: [text('the guide')] },
          text('.'),
        ],
      },
    ]);
  });

  it('[MD4] does not guess links: no scheme, no link (www.example.com, readme.md, //host)', () => {
    expect(inline('www.example.com readme.md //example.com [rel](/admin)')).toEqual([
      text('www.example.com readme.md //example.com [rel](/admin)'),
    ]);
  });

  it('[MD5] never loads an image: ![alt](url) is a link to it, with the alt text as its words', () => {
    expect(inline('![the chart](https://example.com/chart.png)')).toEqual([
      { type: 'link', href: 'https://example.com/chart.png', children: [text('the chart')] },
    ]);
    expect(inline('![](https://example.com/c.png)')).toEqual([
      { type: 'link', href: 'https://example.com/c.png', children: [text('https://example.com/c.png')] },
    ]);
  });

  it('[MD6] shows block quotes, bullet lists and numbered lists (keeping the first number)', () => {
    expect(parseMarkdown('> quoted\n> on two lines\n\n- one\n- two\n  - nested\n\n3. three\n4. four')).toEqual([
      {
        type: 'blockquote',
        children: [{ type: 'paragraph', children: [text('quoted'), { type: 'softbreak' }, text('on two lines')] }],
      },
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [
          [{ type: 'paragraph', children: [text('one')] }],
          [
            { type: 'paragraph', children: [text('two')] },
            { type: 'list', ordered: false, start: 1, items: [[{ type: 'paragraph', children: [text('nested')] }]] },
          ],
        ],
      },
      {
        type: 'list',
        ordered: true,
        start: 3,
        items: [[{ type: 'paragraph', children: [text('three')] }], [{ type: 'paragraph', children: [text('four')] }]],
      },
    ]);
  });

  it('[MD7] shows a heading as a bold paragraph, and no tables, rules, underlined headings or indented code', () => {
    expect(parseMarkdown('## Status')).toEqual([
      { type: 'paragraph', children: [{ type: 'strong', children: [text('Status')] }] },
    ]);
    expect(parseMarkdown('| a | b |\n|---|---|\n| 1 | 2 |')).toEqual([
      {
        type: 'paragraph',
        children: [
          text('| a | b |'),
          { type: 'softbreak' },
          text('|---|---|'),
          { type: 'softbreak' },
          text('| 1 | 2 |'),
        ],
      },
    ]);
    expect(parseMarkdown('Title\n---\n\n***')).toEqual([
      { type: 'paragraph', children: [text('Title'), { type: 'softbreak' }, text('---')] },
      { type: 'paragraph', children: [text('***')] },
    ]);
    expect(parseMarkdown('    not code')).toEqual([{ type: 'paragraph', children: [text('not code')] }]);
  });

  it('[MD9] keeps a typed line break, and a message with no markdown is its text', () => {
    expect(inline('Line one\nLine two')).toEqual([text('Line one'), { type: 'softbreak' }, text('Line two')]);
    expect(inline('Hi Cora, I am looking into it')).toEqual([text('Hi Cora, I am looking into it')]);
    expect(parseMarkdown('   \n ')).toEqual([]);
  });

  it('gives a tree of plain data, the same after a JSON round trip', () => {
    const tree = parseMarkdown('**a** [b](https://b.example) ||c||\n\n```js\nx\n```\n\n> - d');
    expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
  });
});
