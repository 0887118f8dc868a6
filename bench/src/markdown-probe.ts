/**
 * Times `parseMarkdown` (what the app pays per message body) on shapes known to slow markdown
 * parsers, each at the protocol's 10,000-character limit, against a plain 10,000-character
 * paragraph; and `highlightCode` on code of the same size. Prints a table; asserts nothing:
 *   npx tsx bench/src/markdown-probe.ts [iterations per shape, default 30]
 */
import { MAX_MARKDOWN_LENGTH, parseMarkdown } from '@parley/markdown';
import { highlightCode } from '@parley/markdown/highlight';

const LIMIT = MAX_MARKDOWN_LENGTH;
const iterations = Number(process.argv[2] ?? 30);

/** `unit` repeated (between `head` and `tail`) up to the limit, never past it. */
function fill(unit: string, head = '', tail = ''): string {
  const room = LIMIT - head.length - tail.length;
  return head + unit.repeat(Math.floor(room / unit.length)) + tail;
}
/** Half `open`, a word, half `close`: nesting as deep as the limit allows. */
const nest = (open: string, close: string, word = 'a') => {
  const n = Math.floor((LIMIT - word.length) / (open.length + close.length));
  return open.repeat(n) + word + close.repeat(n);
};
const lines = (count: number, line: (i: number) => string) => {
  let text = '';
  for (let i = 0; i < count; i++) {
    const next = line(i) + '\n';
    if (text.length + next.length > LIMIT) break;
    text += next;
  }
  return text;
};

const PLAIN = fill('The printer on floor two is jammed again, ');

/** The first group follow CommonMark's pathological tests (commonmark.js), cut to the limit. */
const SHAPES: Record<string, string> = {
  'for scale: a real message, repeated': fill(
    '**Update**: the _fuser_ is fixed, see [the log](https://example.com/log) and `npm ci`.\n> quoted\n- item\n\n',
  ),
  'nested strong emph (*a **a … a** a*)': nest('*a **a ', ' a** a*', 'b'),
  'emph closers, no openers (a_ )': fill('a_ '),
  'emph openers, no closers (_a )': fill('_a '),
  'link closers, no openers (a])': fill('a]'),
  'link openers, no closers ([a)': fill('[a'),
  'mismatched openers and closers (*a_ )': fill('*a_ '),
  'openers and closers multiple of 3': fill('c* ', 'a**b'),
  'link openers and emph closers ([ a_)': fill('[ a_'),
  'pattern [ (]( repeated': fill('[ (]('),
  'nested brackets [[[a]]]': nest('[', ']'),
  'nested block quotes (> > >)': fill('> ', '', 'a'),
  'deeply nested lists (indent)': lines(1_000, (i) => '  '.repeat(i) + '* a'),
  'backtick runs of growing length': lines(200, (i) => 'e' + '`'.repeat(i + 1)),
  'unclosed links A ([a](<b)': fill('[a](<b'),
  'unclosed links B ([a](b)': fill('[a](b'),
  'unclosed HTML comments (<!--)': fill('<!--', '</'),
  'quotes without spaces (>>>>)': fill('>', '', ' a'),
  'bullets on one line (* * *)': fill('* ', '', 'a'),
  'stars only (****)': fill('*'),
  'underscores only (____)': fill('_'),
  'stars around a word (***a***)': nest('*', '*'),
  'emphasis pairs (*_*_ a _*_*)': nest('*_', '_*'),
  'brackets only ([[[[)': fill('['),
  'backticks only (````)': fill('`'),
  'angle brackets only (<<<<)': fill('<'),
  'tildes only (~~~~)': fill('~'),
  'bars only (||||)': fill('|'),
  'spoilers nested (||||a||||)': nest('||', '||'),
  'autolink-like (<http://a )': fill('<http://a '),
  'bare URLs (http://a.b/ )': fill('http://a.example/x '),
  'URL-like without end (http://)': fill('http://'),
  'emails (a@b.c )': fill('a@b.example '),
  'entities (&#x61;)': fill('&#x61;'),
  'links, many ([a](https://b.c) )': fill('[a](https://b.example) '),
  'reference definitions': lines(1_000, (i) => `[r${i}]: https://e.example/${i}`),
  'one long line break run (a\\n)': fill('a\n'),
};

/** Milliseconds of each of `iterations` runs of `run`, after warm-up runs. */
function samples(run: () => unknown): number[] {
  for (let i = 0; i < 10; i++) run();
  const taken: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    run();
    taken.push(performance.now() - started);
  }
  return taken;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const time = (run: () => unknown) => median(samples(run));

// The baseline is timed before and after the shapes (a fraction of a millisecond, so the
// ratios move with it): the median of both runs.
const plainSamples = samples(() => parseMarkdown(PLAIN));
const timed = Object.entries(SHAPES).map(([name, source]) => ({
  name,
  chars: source.length,
  ms: time(() => parseMarkdown(source)),
}));
const baseline = median([...plainSamples, ...samples(() => parseMarkdown(PLAIN))]);
const real = timed.find((row) => row.name.startsWith('for scale'))!.ms;
const rows = timed.map((row) => ({ ...row, ratio: row.ms / baseline, toReal: row.ms / real }));
rows.sort((a, b) => b.ratio - a.ratio);

const code = {
  'plain TypeScript': fill('const answer: number = compute("a", 42); // why\n'),
  'unclosed strings (")': fill('"'),
  'unclosed comments (/*)': fill('/*'),
  'regex-like (/a/ )': fill('/a/ '),
  'template nesting (`${`)': fill('`${'),
};
const codeRows = Object.entries(code).map(([name, text]) => {
  const ms = time(() => highlightCode(text, 'ts'));
  return { name, chars: text.length, ms, ratio: ms / baseline, toReal: ms / real };
});

const format = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
console.log(`parseMarkdown, median of ${iterations} runs, on Node ${process.version}; ratios to a plain`);
console.log(
  `${PLAIN.length}-character paragraph (${format(baseline)} ms) and to a real message repeated (${format(real)} ms)\n`,
);
const header = (what: string) =>
  console.log(`| ${what} | chars | ms | ÷ plain | ÷ real message |\n| --- | ---: | ---: | ---: | ---: |`);
const line = (r: (typeof rows)[number]) =>
  console.log(`| ${r.name} | ${r.chars} | ${format(r.ms)} | ${format(r.ratio)} | ${format(r.toReal)} |`);
header('shape');
rows.forEach(line);
console.log('\nhighlightCode(…, "ts"), same baseline\n');
header('code');
codeRows.forEach(line);
