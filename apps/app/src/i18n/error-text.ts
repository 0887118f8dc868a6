import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { FieldProblem, FormError } from '../api/errors';

/**
 * A field's problem in plain words: "Enter your email", "Password must be at least 8
 * characters". Known fields have their own sentences (`forms.required.email`); any other field
 * gets the general one with its name.
 */
export function fieldErrorText(t: TFunction, field: string, problem: FieldProblem): string {
  const name = t([`forms.names.${field}`, 'forms.names.other']);
  switch (problem.reason) {
    case 'required':
      return t([`forms.required.${field}`, 'forms.required.other']);
    case 'too_short':
      return t('forms.tooShort', { field: name, count: problem.limit ?? 1 });
    case 'too_long':
      return t('forms.tooLong', { field: name, count: problem.limit ?? 1 });
    case 'invalid_format':
      return t([`forms.format.${field}`, 'forms.format.other'], { field: name });
    case 'taken':
      return t([`forms.taken.${field}`, 'forms.taken.other'], { field: name });
    default:
      return t('forms.invalid', { field: name });
  }
}

/**
 * What went wrong, said for the whole form. `context` picks a screen's own words for a code
 * where the general ones would be vague (`errors.contacts.conflict`: "already contacts").
 */
export function errorText(t: TFunction, error: FormError, context?: string): string {
  if (error.code === 'rate_limited' && error.retryAfterSeconds !== undefined) {
    return t('errors.rateLimitedFor', { count: error.retryAfterSeconds });
  }
  return t([...(context ? [`errors.${context}.${error.code}`] : []), `errors.${error.code}`, 'errors.internal']);
}

/**
 * A form's error in words: `field(name)` for under each field it shows, `summary` for what
 * belongs to none of them (a refused sign-in, no connection, a field this form does not show).
 */
export function useFormErrors(error: FormError | null, shown: readonly string[], context?: string) {
  const { t } = useTranslation();
  const problems = error ? Object.entries(error.fields) : [];
  const underFields = problems.some(([field]) => shown.includes(field));
  return {
    field: (name: string): string | undefined => {
      const problem = error?.fields[name];
      return problem && fieldErrorText(t, name, problem);
    },
    summary: error && !underFields ? errorText(t, error, context) : null,
  };
}
