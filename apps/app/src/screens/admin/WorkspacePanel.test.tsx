import '../../i18n';
import type { WorkspaceSettings } from '@parley/protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../store';
import { ThemeProvider } from '../../theme/theme';
import { WorkspacePanel } from './WorkspacePanel';

const api = vi.hoisted(() => ({ get: vi.fn(), update: vi.fn(), setLogo: vi.fn(), removeLogo: vi.fn() }));
vi.mock('../../api/parley', () => ({ parley: { workspace: api }, absoluteUrl: (p: string) => p }));

const SETTINGS: WorkspaceSettings = {
  id: 'w1',
  slug: 'northwind',
  name: 'Northwind',
  accentColor: null,
  logoUrl: null,
  openSignup: true,
};

function renderPanel() {
  const store = createStore();
  render(
    <Provider store={store}>
      <ThemeProvider>
        <WorkspacePanel />
      </ThemeProvider>
    </Provider>,
  );
  return store;
}

describe('the Workspace panel', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    api.get.mockResolvedValue(SETTINGS);
  });
  afterEach(cleanup);

  it('shows how a hard-to-read accent will look, and saves the name and colour', async () => {
    api.update.mockImplementation((body: object) => Promise.resolve({ ...SETTINGS, ...body }));
    renderPanel();
    const name = await screen.findByLabelText('Workspace name');
    expect(screen.getByText('Shown as picked: it is readable here.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Use #ffcc00' }));
    // Yellow on white is unreadable as it is: the admin is told which colour buttons will have.
    expect(screen.getByText(/^Shown as #[0-9a-f]{6} here so that text stays readable\.$/)).toBeTruthy();
    fireEvent.change(name, { target: { value: ' Northwind Help ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.update).toHaveBeenCalledWith({ name: 'Northwind Help', accentColor: '#ffcc00' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });

  it('refuses a colour that is not #rrggbb before sending it', async () => {
    renderPanel();
    fireEvent.change(await screen.findByLabelText(/^Accent colour/), { target: { value: 'yellow' } });
    expect(screen.getByText('Type a colour as # and six hex digits, e.g. #2563eb.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.update).not.toHaveBeenCalled();
  });

  it('turns open sign-up off at once', async () => {
    api.update.mockResolvedValue({ ...SETTINGS, openSignup: false });
    renderPanel();
    fireEvent.click(await screen.findByRole('switch', { name: 'Customers may sign up on their own' }));
    await waitFor(() => expect(api.update).toHaveBeenCalledWith({ openSignup: false }));
  });
});
