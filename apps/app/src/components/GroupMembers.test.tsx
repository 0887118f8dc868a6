import '../i18n';
import type { Conversation } from '@parley/protocol';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../store';
import { aPerson } from '../testing/person';
import { ThemeProvider } from '../theme/theme';
import { GroupMembers } from './GroupMembers';

const wrap = (children: ReactNode) => (
  <Provider store={createStore()}>
    <ThemeProvider>{children}</ThemeProvider>
  </Provider>
);

const group = {
  id: 'g',
  kind: 'group',
  title: 'Launch',
  topic: null,
  members: [aPerson('ada', 'Ada Agent'), aPerson('bob', 'Bo Brown'), aPerson('cy', 'Cy Chen')],
  adminIds: ['ada', 'cy'],
} as Conversation;

describe("a group's members", () => {
  afterEach(cleanup);

  it('marks the admins, and offers an admin what to do about everyone else', () => {
    render(wrap(<GroupMembers group={group} selfId="ada" />));
    expect(screen.getByTestId('member-ada').textContent).toContain('Ada Agent (you)');
    expect(screen.getByTestId('member-ada').textContent).toContain('Admin');
    expect(screen.getByTestId('member-bob').textContent).not.toContain('Admin');
    expect(screen.getByRole('button', { name: 'Make admin: Bo Brown' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Make member: Cy Chen' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove Ada Agent from the group' })).toBeNull();
    // Removing asks first.
    fireEvent.click(screen.getByRole('button', { name: 'Remove Bo Brown from the group' }));
    expect(screen.getByRole('button', { name: 'Yes, remove Bo Brown' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('button', { name: 'Yes, remove Bo Brown' })).toBeNull();
  });

  it('offers a member who is no admin nothing to change about the others', () => {
    render(wrap(<GroupMembers group={group} selfId="bob" />));
    expect(screen.getByRole('list', { name: 'Members' })).toBeTruthy();
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('marks a bot among them as a bot, and names it so in what can be done about it', () => {
    const withBot = { ...group, members: [...group.members, aPerson('ack', 'Ack Bot', { bot: true })] };
    render(wrap(<GroupMembers group={withBot} selfId="ada" />));
    expect(screen.getByTestId('member-ack').textContent).toContain('Ack Bot (bot)');
    expect(screen.getByTestId('member-bob').textContent).not.toContain('(bot)');
    expect(screen.getByRole('button', { name: 'Remove Ack Bot (bot) from the group' })).toBeTruthy();
  });
});
