import type { FormError } from './errors';

export interface FieldRule {
  required?: boolean;
  minLength?: number;
  /** Looks like an address (something@domain.tld); the server checks it exactly. */
  email?: boolean;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The checks a form can make before it sends anything (so it answers at once, and offline):
 * blank required fields, text shorter than the server accepts, an email without its shape.
 * Everything else the server checks, and its answer is put in the same words.
 */
export function checkForm(values: Record<string, string>, rules: Record<string, FieldRule>): FormError | null {
  const fields: FormError['fields'] = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = values[name] ?? '';
    if (value.trim() === '') {
      if (rule.required) fields[name] = { reason: 'required' };
    } else if (rule.minLength !== undefined && value.length < rule.minLength) {
      fields[name] = { reason: 'too_short', limit: rule.minLength };
    } else if (rule.email && !EMAIL_SHAPE.test(value.trim())) {
      fields[name] = { reason: 'invalid_format' };
    }
  }
  return Object.keys(fields).length > 0 ? { code: 'validation_failed', fields } : null;
}
