import { describe, expect, it } from 'vitest';
import { parseMarkdown, type MdBlock, type MdInline } from './index';

/** Every link target in a tree. */
function hrefs(blocks: readonly MdBlock[]): string[] {
  const found: string[] = [];
  const visitInline = (nodes: readonly MdInline[]) => {
    for (const node of nodes) {
      if (node.type === 'link') found.push(node.href);
      if ('children' in node) visitInline(node.children);
    }
  };
  const visit = (list: readonly MdBlock[]) => {
    for (const block of list) {
      if (block.type === 'paragraph') visitInline(block.children);
      if (block.type === 'blockquote') visit(block.children);
      if (block.type === 'list') block.items.forEach(visit);
    }
  };
  visit(blocks);
  return found;
}

/** Each hostile payload in every construct that can carry it. */
function inEveryConstruct(payload: string): string[] {
  return [
    payload,
    `**${payload}**`,
    `_${payload}_`,
    `~~${payload}~~`,
    `||${payload}||`,
    `> ${payload}`,
    `- ${payload}`,
    `1. ${payload}`,
    `# ${payload}`,
    `\`${payload}\``,
    `\`\`\`html\n${payload}\n\`\`\``,
    `[${payload}](https://example.com)`,
  ];
}

const HOSTILE_TARGETS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'jav&#x61;script:alert(1)',
  'jav&#97;script:alert(1)',
  '&#106;avascript:alert(1)',
  'javascript&colon;alert(1)',
  'java%0ascript:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  'javascript\u200b:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:image/png;base64,iVBORw0KGgo=',
  'file:///etc/passwd',
  'ftp://example.com/x',
  '//evil.example',
  '/relative',
  'https:evil.example',
  'https:/\\evil.example',
];

describe('a hostile message', () => {
  it('[MD8] shows raw HTML as the text it is, in every construct', () => {
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
    ];
    for (const payload of payloads) {
      for (const source of inEveryConstruct(payload)) {
        const tree = JSON.stringify(parseMarkdown(source));
        // The words are kept (as text or code), never as an element of any kind.
        expect(tree, source).toContain(JSON.stringify(payload).slice(1, 12));
        expect(
          hrefs(parseMarkdown(source)).every((h) => h === 'https://example.com'),
          source,
        ).toBe(true);
      }
    }
  });

  it('[MD4] makes no link of a javascript:, data:, vbscript:, file: or other target, however it is spelled', () => {
    for (const target of HOSTILE_TARGETS) {
      const sources = [
        `[click](${target})`,
        `[click](<${target}>)`,
        `<${target}>`,
        `![img](${target})`,
        `[click][r]\n\n[r]: ${target}`,
        `see ${target} now`,
        `**[click](${target})**`,
        `> - [click](${target})`,
        `||[click](${target})||`,
      ];
      for (const source of sources) expect(hrefs(parseMarkdown(source)), source).toEqual([]);
    }
  });

  it('[MD4] keeps a refused link visible as the text that was written', () => {
    expect(parseMarkdown('[x](javascript:alert(1))')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '[x](javascript:alert(1))' }] },
    ]);
  });

  it('[MD4] only ever links to http, https or mailto targets, even in a flood of attempts', () => {
    const flood = HOSTILE_TARGETS.map((t) => `[a](${t}) <${t}> ${t}`).join('\n') + '\n[ok](https://ok.example)';
    expect(hrefs(parseMarkdown(flood))).toEqual(['https://ok.example']);
  });
});
