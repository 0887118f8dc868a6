// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { type Bubble, ChatView } from './chat-view';

function setUp() {
  document.body.innerHTML = '<main id="parley-widget"></main>';
  const handlers = { open: vi.fn(), close: vi.fn(), send: vi.fn(), typing: vi.fn(), loadEarlier: vi.fn() };
  const view = new ChatView(document.getElementById('parley-widget')!, handlers);
  const get = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
  return {
    view,
    handlers,
    launcher: get<HTMLButtonElement>('button[aria-label="Open chat"]'),
    panel: get<HTMLElement>('[role="dialog"]'),
    log: get<HTMLElement>('[role="log"]'),
    message: get<HTMLTextAreaElement>('#pw-message'),
    name: get<HTMLInputElement>('#pw-name'),
    email: get<HTMLInputElement>('#pw-email'),
  };
}

const press = (element: Element, key: string, init: KeyboardEventInit = {}) =>
  element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));

const look = { name: 'Shop', greeting: 'Hi!', workspaceName: 'Acme', accentColor: '#0f766e', logoUrl: null };

describe('the chat view', () => {
  it('opens a named dialog with the focus in the message box, and gives the focus back on closing', () => {
    const { view, handlers, launcher, panel, message } = setUp();
    view.setLook(look);
    expect(panel.getAttribute('aria-label')).toBe('Chat with Acme');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(document.documentElement.style.getPropertyValue('--pw-accent')).toBe('#0f766e');
    launcher.click();
    expect(handlers.open).toHaveBeenCalledOnce();
    view.setOpen(true);
    expect(panel.hidden).toBe(false);
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(message);
    press(message, 'Escape');
    expect(handlers.close).toHaveBeenCalledOnce();
    view.setOpen(false);
    expect(panel.hidden).toBe(true);
    expect(document.activeElement).toBe(launcher);
    expect(document.querySelector('label[for="pw-message"]')?.textContent).toBe('Message');
  });

  it('sends on Enter with the pre-chat details, not on Shift+Enter, and refuses a mistyped email', () => {
    const { view, handlers, message, name, email } = setUp();
    view.setPrechat(true);
    message.value = 'Line one';
    press(message, 'Enter', { shiftKey: true });
    expect(handlers.send).not.toHaveBeenCalled();
    name.value = ' Vera ';
    email.value = 'vera-at-example';
    message.value = 'Do you ship to Norway?';
    press(message, 'Enter');
    expect(handlers.send).not.toHaveBeenCalled();
    expect(email.getAttribute('aria-invalid')).toBe('true');
    email.value = 'vera@example.com';
    press(message, 'Enter');
    expect(handlers.send).toHaveBeenCalledWith('Do you ship to Norway?', { name: 'Vera', email: 'vera@example.com' });
    expect(message.value).toBe('');
    // Once the form is gone, nothing of it goes along; a blank message does not go at all.
    view.setPrechat(false);
    message.value = '   ';
    press(message, 'Enter');
    message.value = 'Thanks';
    press(message, 'Enter');
    expect(handlers.send).toHaveBeenLastCalledWith('Thanks', {});
    expect(handlers.send).toHaveBeenCalledTimes(2);
  });

  it('keeps each bubble in place as it changes, so the live log announces a message once', () => {
    const { view, log } = setUp();
    const mine: Bubble = { key: 'c:1', kind: 'mine', text: 'Hello', note: 'Sending…' };
    view.setThread([mine]);
    const element = log.firstElementChild!;
    expect(element.textContent).toBe('You: HelloSending…');
    view.setThread([
      { ...mine, note: 'Seen' },
      { key: 'm2', kind: 'theirs', text: 'Hi!', author: 'Support', showAuthor: true },
    ]);
    expect(log.firstElementChild).toBe(element);
    expect(element.querySelector('.pw-meta')?.textContent).toBe('Seen');
    expect(Array.from(log.children, (child) => child.textContent)).toEqual(['You: HelloSeen', 'SupportSupport: Hi!']);
    const retry = vi.fn();
    view.setThread([{ ...mine, note: 'Not sent', failed: true, retry }]);
    expect(log.children).toHaveLength(1);
    element.querySelector<HTMLButtonElement>('.pw-meta button')!.click();
    expect(retry).toHaveBeenCalledOnce();
  });
});
