/**
 * Fills a canned response's placeholders. Pure: the service gathers the values.
 *
 * - One pass over the template: a value that itself looks like `{{agent.name}}` (a customer
 *   may call themselves that) is inserted as written, never expanded.
 * - Values are plain text, inserted as they are: messages are plain text everywhere Parley shows
 *   them (no Markdown or HTML), so a value cannot turn into a link or markup.
 * - A placeholder Parley cannot fill (unknown, a field without a value, a value it does not have)
 *   stays as written, so the agent sees what did not fill before sending.
 */

/** The values known for one ticket; a missing (undefined or empty) one leaves its placeholder. */
export interface PlaceholderValues {
  customer: { name: string; email: string | null };
  ticket: { id: string; subject: string };
  agent: { name: string } | null;
  workspace: { name: string };
}

/** A custom field's value as text, of the ticket or of its customer; undefined: none. */
export type FieldLookup = (owner: 'ticket' | 'customer', key: string) => string | undefined;

/** No field has a value (a template rendered without a ticket's fields). */
export const NO_FIELDS: FieldLookup = () => undefined;

/** `{{ name }}`: letters, digits, `.`, `_` and `-`, spaces around allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The number the app shows for a ticket (`#` + this): the last six characters of its id. */
export const shortTicketNumber = (id: string): string => id.slice(-6);

/** The first word of a name ("Carla Gómez" → "Carla"). */
export const firstNameOf = (name: string): string => name.trim().split(/\s+/u)[0] ?? '';

export function renderPlaceholders(
  template: string,
  values: PlaceholderValues,
  fields: FieldLookup = NO_FIELDS,
): { body: string; unfilled: string[] } {
  const unfilled: string[] = [];
  const body = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = valueOf(name, values, fields);
    if (value === undefined || value === '') {
      if (!unfilled.includes(name)) unfilled.push(name);
      return whole;
    }
    return value;
  });
  return { body, unfilled };
}

function valueOf(name: string, v: PlaceholderValues, fields: FieldLookup): string | undefined {
  const field = /^(ticket|customer)\.fields\.([A-Za-z0-9_-]+)$/.exec(name);
  if (field) return fields(field[1] as 'ticket' | 'customer', field[2]!);
  switch (name) {
    case 'customer.name':
      return v.customer.name;
    case 'customer.firstName':
      return firstNameOf(v.customer.name);
    case 'customer.email':
      return v.customer.email ?? undefined;
    case 'ticket.id':
      return shortTicketNumber(v.ticket.id);
    case 'ticket.subject':
      return v.ticket.subject;
    case 'agent.name':
      return v.agent?.name;
    case 'agent.firstName':
      return v.agent ? firstNameOf(v.agent.name) : undefined;
    case 'workspace.name':
      return v.workspace.name;
    default:
      return undefined;
  }
}
