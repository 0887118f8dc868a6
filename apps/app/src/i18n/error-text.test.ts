import { ParleyError } from '@parley/client';
import { describe, expect, it } from 'vitest';
import { toFormError } from '../api/errors';
import { checkForm } from '../api/form-checks';
import i18n from './index';
import { errorText, fieldErrorText } from './error-text';

const en = i18n.getFixedT('en');
const de = i18n.getFixedT('de');

/** What the server answers for a register form with a blank email and a short password. */
const refused = new ParleyError(
  400,
  'validation_failed',
  'Invalid body: email: Invalid email address; password: Too small: expected string to have >=8 characters',
  {
    fields: [
      { in: 'body', path: 'email', message: 'Invalid email address', reason: 'required' },
      {
        in: 'body',
        path: 'password',
        message: 'Too small: expected string to have >=8 characters',
        reason: 'too_short',
        limit: 8,
      },
    ],
  },
);

describe('form errors in plain words', () => {
  it("say each field's problem in the reader's language, never the validator's text", () => {
    const error = toFormError(refused);
    expect(JSON.stringify(error)).not.toMatch(/Invalid|Too small|expected/);
    expect(fieldErrorText(en, 'email', error.fields.email!)).toBe('Enter your email');
    expect(fieldErrorText(en, 'password', error.fields.password!)).toBe('Password must be at least 8 characters');
    expect(fieldErrorText(de, 'email', error.fields.email!)).toBe('Gib deine E-Mail-Adresse ein');
    expect(fieldErrorText(de, 'password', error.fields.password!)).toBe('Passwort muss mindestens 8 Zeichen lang sein');
  });

  it('have words for every reason, with the field named where there is no sentence of its own', () => {
    expect(fieldErrorText(en, 'email', { reason: 'invalid_format' })).toBe(
      'Enter an email address like name@example.com',
    );
    expect(fieldErrorText(en, 'username', { reason: 'taken' })).toBe('This username is taken. Try another one.');
    expect(fieldErrorText(en, 'description', { reason: 'too_long', limit: 10_000 })).toBe(
      'Description can be at most 10,000 characters',
    );
    expect(fieldErrorText(de, 'description', { reason: 'too_long', limit: 10_000 })).toBe(
      'Beschreibung darf höchstens 10.000 Zeichen lang sein',
    );
    expect(fieldErrorText(en, 'assigneeId', { reason: 'required' })).toBe('Fill in this field');
    expect(fieldErrorText(en, 'assigneeId', { reason: 'invalid' })).toBe('This field cannot be used like this');
    expect(fieldErrorText(de, 'slug', { reason: 'taken' })).toBe('Dieses Feld ist schon vergeben');
    expect(fieldErrorText(en, 'name', { reason: 'taken' })).toBe('A team with this name exists already.');
  });

  it("say what went wrong for the whole form by its code, in a screen's own words where it has them", () => {
    const failure = (code: ParleyError['code'], details?: Record<string, unknown>) =>
      toFormError(new ParleyError(400, code, 'server text', details));
    expect(errorText(en, failure('invalid_credentials'))).toBe('That email or username and password do not match.');
    expect(errorText(de, failure('network'))).toBe('Der Server ist nicht erreichbar. Prüf deine Verbindung.');
    expect(errorText(en, failure('rate_limited', { retryAfterSeconds: 30 }))).toBe(
      'Too many attempts. Try again in 30 seconds.',
    );
    expect(errorText(en, failure('conflict'), 'contacts')).toBe(
      'You are contacts already, or a request between you is waiting.',
    );
    expect(errorText(en, failure('conflict'), 'profile')).toBe('Someone changed this meanwhile. Reload and try again.');
    // Whatever is not ours (a thrown TypeError, a code this build does not know) is said generally.
    expect(errorText(en, toFormError(new TypeError('x is undefined')))).toBe('Something went wrong. Try again.');
    expect(errorText(en, toFormError({ code: 'teapot' }))).toBe('Something went wrong. Try again.');
  });
});

describe('checks before sending', () => {
  it('find blank required fields, too short text and emails without their shape, and nothing else', () => {
    expect(
      checkForm(
        { email: ' ', username: 'ann', password: 'short' },
        { email: { required: true }, username: { required: true }, password: { required: true, minLength: 8 } },
      ),
    ).toEqual({
      code: 'validation_failed',
      fields: { email: { reason: 'required' }, password: { reason: 'too_short', limit: 8 } },
    });
    expect(checkForm({ email: 'ann@example' }, { email: { required: true, email: true } })).toEqual({
      code: 'validation_failed',
      fields: { email: { reason: 'invalid_format' } },
    });
    expect(checkForm({ email: 'ann@example.com', name: '' }, { email: { email: true }, name: {} })).toBeNull();
  });
});
