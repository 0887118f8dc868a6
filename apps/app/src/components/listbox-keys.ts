import type { NativeSyntheticEvent, TextInputKeyPressEventData } from 'react-native';

/**
 * The keys of a suggestion list opened from a text field (canned responses, people to mention):
 * arrows move the highlight round the list, Enter or Tab take the highlighted item, Esc closes.
 * Answers whether the key was the list's (the field must not also act on it, e.g. send).
 */
export function listboxKey<T>(
  event: NativeSyntheticEvent<TextInputKeyPressEventData>,
  list: {
    items: readonly T[];
    highlight: number;
    setHighlight: (next: (i: number) => number) => void;
    choose: (item: T) => void;
    close: () => void;
  },
): boolean {
  const { key } = event.nativeEvent;
  const { items } = list;
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    event.preventDefault();
    const step = key === 'ArrowDown' ? 1 : -1;
    list.setHighlight((i) => (items.length === 0 ? 0 : (i + step + items.length) % items.length));
    return true;
  }
  if ((key === 'Enter' || key === 'Tab') && items[list.highlight]) {
    event.preventDefault();
    list.choose(items[list.highlight]!);
    return true;
  }
  if (key === 'Escape') {
    event.preventDefault();
    list.close();
    return true;
  }
  return false;
}
