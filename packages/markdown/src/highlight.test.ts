import { describe, expect, it } from 'vitest';
import { highlightCode, isHighlighted, type CodeSpan } from './highlight';

const kindsOf = (spans: CodeSpan[] | null) =>
  Object.fromEntries((spans ?? []).filter((s) => s.kind).map((s) => [s.text.trim(), s.kind]));

describe('a fenced code block in a message', () => {
  it('[MD3] is coloured in the common languages, by name or alias', () => {
    for (const lang of [
      'js',
      'javascript',
      'ts',
      'tsx',
      'json',
      'py',
      'python',
      'sh',
      'bash',
      'sql',
      'html',
      'xml',
      'css',
      'java',
      'go',
    ]) {
      expect(isHighlighted(lang), lang).toBe(true);
    }
    const ts = highlightCode('const answer: number = 42; // why\nfunction f() { return "s"; }', 'ts');
    expect(ts!.map((s) => s.text).join('')).toBe('const answer: number = 42; // why\nfunction f() { return "s"; }');
    expect(kindsOf(ts)).toMatchObject({
      const: 'keyword',
      number: 'type',
      '42': 'number',
      '// why': 'comment',
      '"s"': 'string',
    });
  });

  it('[MD3] keeps every character of the code, and colours code inside a template string as code', () => {
    const code = 'const s = `a ${b + 1} c`;';
    const spans = highlightCode(code, 'js')!;
    expect(spans.map((s) => s.text).join('')).toBe(code);
    expect(spans.find((s) => s.text.includes('b + '))?.kind).not.toBe('string');
  });

  it('[MD3] is plain in any other language, without a language, or when very long', () => {
    expect(highlightCode('x', 'brainfuck')).toBeNull();
    expect(highlightCode('x', null)).toBeNull();
    expect(highlightCode('a'.repeat(10_001), 'js')).toBeNull();
  });

  it('[MD8] colours HTML as text: the spans are words, never markup', () => {
    const code = '<img src=x onerror=alert(1)><script>alert(1)</script>';
    const spans = highlightCode(code, 'html')!;
    expect(spans.map((s) => s.text).join('')).toBe(code);
  });
});
