import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { personName, personNameFrame } from './person-name';

const en = i18n.getFixedT('en');
const de = i18n.getFixedT('de');
const ada = { displayName: 'Ada Admin', bot: false };
const ack = { displayName: 'Ack Bot', bot: true };

describe('what the app calls someone', () => {
  it('calls a person by their name, and marks a bot as a bot, in the reader’s language', () => {
    expect(personName(ada, en)).toBe('Ada Admin');
    expect(personName(ack, en)).toBe('Ack Bot (bot)');
    expect(personName(ack, de)).toBe('Ack Bot (Bot)');
  });

  it('gives the words around a name drawn in pieces, so the pieces still read as the whole', () => {
    expect(personNameFrame(ada, en)).toEqual(['', '']);
    expect(personNameFrame(ack, en)).toEqual(['', ' (bot)']);
    const [before, after] = personNameFrame(ack, de);
    expect(`${before}Ack Bot${after}`).toBe(personName(ack, de));
  });
});
