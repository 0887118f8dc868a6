import { describe, expect, it } from 'vitest';
import { renderPlaceholders, type FieldLookup, type PlaceholderValues } from './canned-render';

const values: PlaceholderValues = {
  customer: { name: 'Carla Gómez', email: 'carla@example.com' },
  ticket: { id: '01JABCDEFGHJKMNPQRSTVWXYZ7', subject: 'Refund for order 12' },
  agent: { name: 'Sam Agent' },
  workspace: { name: 'Acme Support' },
};

describe('filling a canned response', () => {
  it('fills every known placeholder, spaces inside the braces allowed', () => {
    const template =
      'Hi {{customer.firstName}} ({{ customer.name }}, {{customer.email}}): ticket #{{ticket.id}} ' +
      '"{{ticket.subject}}". {{agent.firstName}} / {{agent.name}}, {{workspace.name}}';
    expect(renderPlaceholders(template, values)).toEqual({
      body:
        'Hi Carla (Carla Gómez, carla@example.com): ticket #VWXYZ7 "Refund for order 12". ' +
        'Sam / Sam Agent, Acme Support',
      unfilled: [],
    });
  });

  it('leaves unknown placeholders and empty values visible, and lists each once', () => {
    const rendered = renderPlaceholders(
      '{{customer.phone}} {{agent.name}} {{customer.phone}} {{customer.email}} {{ticket.fields.plan}}',
      { ...values, agent: null, customer: { name: 'Carla', email: null } },
    );
    expect(rendered.body).toBe(
      '{{customer.phone}} {{agent.name}} {{customer.phone}} {{customer.email}} {{ticket.fields.plan}}',
    );
    expect(rendered.unfilled).toEqual(['customer.phone', 'agent.name', 'customer.email', 'ticket.fields.plan']);
  });

  it('takes custom fields from the lookup, of the ticket and of the customer', () => {
    const fields: FieldLookup = (owner, key) =>
      owner === 'ticket' && key === 'plan' ? 'Gold' : owner === 'customer' && key === 'vip' ? 'yes' : undefined;
    expect(
      renderPlaceholders('{{ticket.fields.plan}} {{customer.fields.vip}} {{customer.fields.plan}}', values, fields),
    ).toEqual({ body: 'Gold yes {{customer.fields.plan}}', unfilled: ['customer.fields.plan'] });
  });

  it('inserts values as plain text: never expanded again, never read as markup or a pattern', () => {
    const sly: PlaceholderValues = {
      ...values,
      customer: { name: '{{agent.name}} $& $1 <b>x</b> [link](https://evil.example)', email: null },
    };
    expect(renderPlaceholders('Hi {{customer.name}}!', sly).body).toBe(
      'Hi {{agent.name}} $& $1 <b>x</b> [link](https://evil.example)!',
    );
  });

  it('leaves text without placeholders, and broken braces, as they are', () => {
    expect(renderPlaceholders('Price: {{ 5 }} {customer.name} {{customer.name', values).body).toBe(
      'Price: {{ 5 }} {customer.name} {{customer.name',
    );
  });
});
