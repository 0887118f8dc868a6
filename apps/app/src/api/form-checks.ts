import type { FormError } from './errors';

/**
 * The checks a form can make before it sends anything (so it answers at once, and offline):
 * blank required fields, and text shorter than the server accepts. Everything else the server
 * checks, and its answer is put in the same words.
 */
export function checkForm(
  values: Record<string, string>,
  rules: Record<string, { required?: boolean; minLength?: number }>,
): FormError | null {
  const fields: FormError['fields'] = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = values[name] ?? '';
    if (rule.required && value.trim() === '') fields[name] = { reason: 'required' };
    else if (rule.minLength !== undefined && value !== '' && value.length < rule.minLength) {
      fields[name] = { reason: 'too_short', limit: rule.minLength };
    }
  }
  return Object.keys(fields).length > 0 ? { code: 'validation_failed', fields } : null;
}
