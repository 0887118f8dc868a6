import '../../i18n';
import { parseMarkdown } from '@parley/markdown';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { lightCode } from '../../theme/code-palette';
import { MessageMarkdown } from './MessageMarkdown';

const INK = '#010203';

function show(body: string) {
  return render(<MessageMarkdown blocks={parseMarkdown(body)} color={INK} style={{ fontSize: 15 }} selectable />);
}

/** The element whose own text is exactly this. */
const element = (text: string) => screen.getByText(text, { exact: true });
const style = (el: Element) => window.getComputedStyle(el);

/** A colour's red, green and blue, however the DOM spells it (`#rrggbb`, `rgb()`, `rgba()`). */
const channels = (colour: string) =>
  colour.startsWith('#')
    ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
    : colour
        .match(/[\d.]+/g)!
        .slice(0, 3)
        .map(Number);

describe('a message body drawn from its markdown', () => {
  afterEach(cleanup);

  it('[MD1] draws bold, italic, struck and code words in the bubble’s own colour', () => {
    const { container } = show('Pay **now**, _please_, ~~later~~ with `npm ci`');
    expect(container.textContent).toBe('Pay now, please, later with npm ci');
    expect(style(element('now')).fontWeight).toBe('700');
    expect(style(element('please')).fontStyle).toBe('italic');
    expect(style(element('later')).textDecorationLine ?? style(element('later')).textDecoration).toContain(
      'line-through',
    );
    expect(style(element('npm ci')).fontFamily).toContain('monospace');
    expect(channels(style(container.firstElementChild!).color)).toEqual(channels(INK));
  });

  it('[MD4] makes a link an anchor that opens a new tab with no way back to the app', () => {
    show('Read [the docs](https://example.com/docs) or https://example.org');
    const docs = screen.getByRole('link', { name: 'the docs' });
    expect(docs.tagName).toBe('A');
    expect(docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(docs.getAttribute('target')).toBe('_blank');
    expect(docs.getAttribute('rel')).toBe('noopener noreferrer');
    // Out of the Tab order: the timeline is one stop, its rows' menus list the links.
    expect(docs.getAttribute('tabindex')).toBe('-1');
    expect(screen.getByRole('link', { name: 'https://example.org' }).getAttribute('href')).toBe('https://example.org');
  });

  it('[MD3] draws a fenced block in monospace, coloured (once the grammars load) on a card of its own', async () => {
    const { container } = show('```ts\nconst answer = 42; // why\n```');
    expect(container.textContent).toBe('const answer = 42; // why');
    const keyword = await waitFor(() => element('const'));
    expect(style(keyword.parentElement!).fontFamily).toContain('monospace');
    expect(channels(style(keyword).color)).toEqual(channels(lightCode.keyword));
    expect(channels(style(element('// why')).color)).toEqual(channels(lightCode.comment));
    expect(container.textContent).toBe('const answer = 42; // why');
  });

  it('[MD6] draws quotes and lists, with numbers from where the list starts', () => {
    const { container } = show('> quoted\n\n3. three\n4. four\n\n- bullet');
    expect(screen.getAllByRole('list')).toHaveLength(2);
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(container.textContent).toBe('quoted3.three4.four•bullet');
  });

  it('[MD2] covers a spoiler, with none of its words on the page, until it is tapped', () => {
    const { container } = show('It was ||the butler||');
    expect(container.textContent).not.toContain('butler');
    const spoiler = screen.getByRole('button', { name: 'Spoiler, tap to show' });
    expect(spoiler.getAttribute('tabindex')).toBe('-1');
    fireEvent.click(spoiler);
    expect(container.textContent).toBe('It was the butler');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('[MD2] shows every spoiler when the row asks (its actions menu)', () => {
    const { container } = render(
      <MessageMarkdown blocks={parseMarkdown('||a|| and ||b||')} color={INK} revealSpoilers />,
    );
    expect(screen.queryByRole('button')).toBeNull();
    expect(container.textContent).toBe('a and b');
  });

  it('[MD8] leaves hostile markup inert: no element, no script URL, its words as text', () => {
    const attempts = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      '<javascript:alert(1)>',
      '[y](jav&#x61;script:alert(1))',
      '![z](data:text/html,<script>alert(1)</script>)',
      '```html\n<img src=x onerror=alert(1)>\n```',
      '> - **<iframe src="javascript:alert(1)">**',
    ];
    const { container } = show(attempts.join('\n\n'));
    expect(container.querySelectorAll('img, script, iframe, object, embed, svg')).toHaveLength(0);
    expect(container.querySelectorAll('a')).toHaveLength(0);
    const attributes = Array.from(container.querySelectorAll('*')).flatMap((el) => el.getAttributeNames());
    expect(attributes.filter((name) => /^(on|href$|src$|srcdoc$|action$|formaction$)/i.test(name))).toEqual([]);
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('[x](javascript:alert(1))');
  });
});
