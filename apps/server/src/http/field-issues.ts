import type { FieldIssue, FieldReason } from '@parley/protocol';

/**
 * One failed check as fastify-type-provider-zod reports it: the zod issue's `code` as
 * `keyword`, its path as a JSON pointer, and the rest of the issue (`minimum`, `origin`,
 * `format`...) in `params`.
 */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The reason a client can put in its own words. A field left out or left blank is `required`
 * whatever check caught it (an empty email fails the email format, an empty username its
 * minimum length): "Enter your email" helps, "Invalid email address" does not.
 */
function reasonOf(violation: SchemaViolation, value: unknown): Pick<FieldIssue, 'reason' | 'limit'> {
  const { keyword, params } = violation;
  if (isBlank(value) && keyword !== 'unrecognized_keys') return { reason: 'required' };
  const text = params.origin === 'string';
  if (keyword === 'too_small' && text && typeof params.minimum === 'number') {
    return { reason: 'too_short', limit: params.minimum };
  }
  if (keyword === 'too_big' && text && typeof params.maximum === 'number') {
    return { reason: 'too_long', limit: params.maximum };
  }
  const reason: FieldReason = keyword === 'invalid_format' ? 'invalid_format' : 'invalid';
  return { reason };
}

/** The failed checks of one part of a request (`in`) as the field issues of the error body. */
export function fieldIssuesOf(violations: readonly SchemaViolation[], where: FieldIssue['in'], input: unknown) {
  return violations.map((violation): FieldIssue => {
    const path = violation.instancePath.split('/').filter(Boolean);
    return {
      in: where,
      path: path.join('.'),
      message: violation.message ?? 'Invalid value',
      ...reasonOf(violation, valueAt(input, path)),
    };
  });
}
