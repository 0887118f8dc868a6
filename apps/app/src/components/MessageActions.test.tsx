import '../i18n';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../store';
import { loadPins } from '../store/pins';
import { savedChanged } from '../store/saved-messages';
import { aMessage } from '../testing/message';
import { ThemeProvider } from '../theme/theme';
import { MessageBubble } from './MessageBubble';

const message = aMessage({ id: 'm1', conversationId: 'c1', senderId: 'sam' });

function openMenu(store: ReturnType<typeof createStore>, canPin: boolean) {
  render(
    <Provider store={store}>
      <ThemeProvider>
        <MessageBubble
          item={{ kind: 'message', key: 'm1', message }}
          selfId="me"
          sender={undefined}
          showSender
          seen={false}
          deleting={false}
          onOpenImage={() => {}}
          current={false}
          roving={{ register: () => {}, focused: () => {}, keyDown: () => {}, focus: () => {} }}
          canPin={canPin}
        />
      </ThemeProvider>
    </Provider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'More actions' }));
}

const offered = (name: string) => screen.queryByRole('button', { name }) !== null;

describe("a message's menu: saving and pinning", () => {
  afterEach(cleanup);

  it('offers Save and Pin, and Pin only where the user may write', () => {
    openMenu(createStore(), true);
    expect([offered('Save'), offered('Pin'), offered('Remove from saved'), offered('Unpin')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    cleanup();
    openMenu(createStore(), false);
    expect([offered('Save'), offered('Pin')]).toEqual([true, false]);
  });

  it('offers to take back what is done: a saved message, a pinned one', () => {
    const store = createStore();
    store.dispatch(savedChanged({ messageId: 'm1', saved: true }));
    const board = { items: [{ message, pinnedBy: 'sam', pinnedAt: '2026-11-25T11:00:00.000Z' }] };
    store.dispatch(loadPins.fulfilled(board, 'r1', 'c1'));
    openMenu(store, true);
    expect([offered('Remove from saved'), offered('Unpin'), offered('Save'), offered('Pin')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
