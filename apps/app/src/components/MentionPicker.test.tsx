import '../i18n';
import type { PublicUser } from '@parley/protocol';
import { cleanup, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../store';
import { aPerson } from '../testing/person';
import { ThemeProvider } from '../theme/theme';
import { matchPeople, mentionTokenAt, useMentionPicker } from './MentionPicker';

describe('the @name being typed in the composer', () => {
  it('is an @ at the start of the text or of a word, up to the caret', () => {
    expect(mentionTokenAt('@ki', 3)).toEqual({ start: 0, end: 3, query: 'ki' });
    expect(mentionTokenAt('Ask @', 5)).toEqual({ start: 4, end: 5, query: '' });
    expect(mentionTokenAt('Ask @kim.l later', 10)).toEqual({ start: 4, end: 10, query: 'kim.l' });
  });

  it('is not an email address, nor a finished word', () => {
    expect(mentionTokenAt('sam@example', 11)).toBeNull();
    expect(mentionTokenAt('@kim ', 5)).toBeNull();
  });
});

describe('the people offered', () => {
  const people = [aPerson('kim', 'Kim Agent'), aPerson('sam', 'Sam Agent'), aPerson('okim', 'Kimberly Otto')];

  it('are those whose username starts with it, then those with a name word starting with it', () => {
    expect(matchPeople(people, 'ki').map((p) => p.username)).toEqual(['kim', 'okim']);
    expect(matchPeople(people, 'AG').map((p) => p.username)).toEqual(['kim', 'sam']);
    expect(matchPeople(people, '').map((p) => p.username)).toEqual(['kim', 'sam', 'okim']);
    expect(matchPeople(people, 'zed')).toEqual([]);
  });
});

/** A composer's text with the caret at its end, and the picker it opens. */
function Typed({ people, text }: { people: PublicUser[]; text: string }) {
  return useMentionPicker({ people, text, caret: text.length, onInsert: () => {} }).picker;
}

describe('the mention suggestions', () => {
  afterEach(cleanup);

  it('mark a bot as a bot, for everyone and for a screen reader, and a person not', () => {
    const people = [aPerson('ada', 'Ada Admin'), aPerson('ackbot', 'Ack Bot', { bot: true })];
    render(
      <Provider store={createStore()}>
        <ThemeProvider>
          <Typed people={people} text="Thanks @a" />
        </ThemeProvider>
      </Provider>,
    );
    const options = screen.getAllByRole('option');
    expect(options.map((option) => option.getAttribute('aria-label'))).toEqual([
      'Ada Admin @ada',
      'Ack Bot (bot) @ackbot',
    ]);
    expect(options[1]!.textContent).toContain('Ack Bot (bot)');
  });
});
