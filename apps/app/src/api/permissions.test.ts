import { describe, expect, it } from 'vitest';
import { adminSectionsOf, can } from './permissions';

describe('permissions', () => {
  const clerk = { permissions: ['tickets.work', 'tickets.priority'] as const };

  it('grants what the session lists and nothing else', () => {
    expect(can({ permissions: [...clerk.permissions] }, 'tickets.work')).toBe(true);
    expect(can({ permissions: [...clerk.permissions] }, 'notes.write')).toBe(false);
  });

  it('grants nothing to nobody, nor to a session stored before permissions were sent', () => {
    expect(can(null, 'tickets.work')).toBe(false);
    expect(can(undefined, 'tickets.work')).toBe(false);
    expect(can({} as { permissions: [] }, 'tickets.work')).toBe(false);
  });

  it('opens the admin sections by permission, whatever the role is called', () => {
    expect(adminSectionsOf({ permissions: [...clerk.permissions] })).toEqual([]);
    expect(adminSectionsOf({ permissions: ['people.manage'] })).toEqual(['people', 'invites']);
    expect(adminSectionsOf({ permissions: ['teams.manage', 'settings.manage'] })).toEqual([
      'teams',
      'roles',
      'rules',
      'workspace',
      'settings',
      'sla',
      'labels',
      'canned',
      'fields',
      'email',
      'widgets',
      'webhooks',
    ]);
  });
});
