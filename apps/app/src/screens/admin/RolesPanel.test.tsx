import '../../i18n';
import type { WorkspaceRole } from '@parley/protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'react-redux';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../store';
import { ThemeProvider } from '../../theme/theme';
import { RolesPanel } from './RolesPanel';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  create: vi.fn(),
  update: vi.fn(),
  remove: vi.fn(),
}));
vi.mock('../../api/parley', () => ({ parley: { roles: api } }));

const role = (changes: Partial<WorkspaceRole>): WorkspaceRole => ({
  id: '01JROLE0000000000000000000',
  name: 'Role',
  builtIn: null,
  permissions: [],
  memberCount: 0,
  ...changes,
});

const ADMIN = role({ id: 'a', name: 'Admin', builtIn: 'admin', permissions: ['people.manage'], memberCount: 1 });
const CLERK = role({ id: 'c', name: 'Billing clerk', permissions: ['tickets.work'], memberCount: 2 });

const wrap = (children: ReactNode) => (
  <Provider store={createStore()}>
    <ThemeProvider>{children}</ThemeProvider>
  </Provider>
);

describe('the Roles panel', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    api.list.mockResolvedValue({ items: [ADMIN, CLERK] });
  });
  afterEach(cleanup);

  it('lists each role with its members and permissions; built-in ones cannot be edited', async () => {
    render(wrap(<RolesPanel />));
    const admin = await screen.findByTestId('admin-role-Admin');
    expect(within(admin).getByText(/1 member · Built-in: cannot be changed/)).toBeTruthy();
    expect(within(admin).queryByRole('button', { name: 'Edit Admin' })).toBeNull();
    const clerk = screen.getByTestId('admin-role-Billing clerk');
    expect(within(clerk).getByText('2 members')).toBeTruthy();
    expect(within(clerk).getByText('Work tickets')).toBeTruthy();
    expect(within(clerk).getByRole('button', { name: 'Edit Billing clerk' })).toBeTruthy();
  });

  it('creates a role from a name and the permissions ticked, each explained', async () => {
    api.create.mockResolvedValue(role({ name: 'Night shift' }));
    render(wrap(<RolesPanel />));
    await screen.findByTestId('admin-role-Admin');
    fireEvent.change(screen.getByLabelText('Role name'), { target: { value: ' Night shift ' } });
    const form = screen.getByRole('list', { name: 'What the new role may do' });
    const notes = within(form).getByRole('checkbox', { name: 'Write internal notes' });
    expect(notes.getAttribute('aria-checked')).toBe('false');
    expect(within(form).getByText('Writes notes on tickets that only staff see.')).toBeTruthy();
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Work tickets' }));
    fireEvent.click(notes);
    fireEvent.click(notes);
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() =>
      expect(api.create).toHaveBeenCalledWith({ name: 'Night shift', permissions: ['tickets.work'] }),
    );
    await waitFor(() => expect(api.list).toHaveBeenCalledTimes(2));
  });

  it('edits a role of its own: its permissions start as they are', async () => {
    api.update.mockResolvedValue(CLERK);
    render(wrap(<RolesPanel />));
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Billing clerk' }));
    const form = screen.getByRole('list', { name: 'What Billing clerk may do' });
    expect(within(form).getByRole('checkbox', { name: 'Work tickets' }).getAttribute('aria-checked')).toBe('true');
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Write internal notes' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.update).toHaveBeenCalledWith('c', {
        name: 'Billing clerk',
        permissions: ['tickets.work', 'notes.write'],
      }),
    );
  });

  it('says why a role someone has cannot be deleted', async () => {
    api.remove.mockRejectedValue(Object.assign(new Error('in use'), { code: 'conflict' }));
    render(wrap(<RolesPanel />));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete Billing clerk' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete the role' }));
    expect(await screen.findByText(/Someone still has this role/)).toBeTruthy();
    expect(api.remove).toHaveBeenCalledWith('c');
  });
});
