import { useState, type ReactNode } from 'react';
import { View, type NativeSyntheticEvent } from 'react-native';
import { useTheme } from '../theme/theme';

/** A key press as react-native-web hands it to a View's onKeyDown. */
export type RowKeyEvent = NativeSyntheticEvent<KeyboardEvent> & {
  key: string;
  shiftKey: boolean;
  target: unknown;
  currentTarget: unknown;
  preventDefault(): void;
};

/**
 * How the timeline steers the focus among its rows (a roving tabindex, WAI-ARIA APG): one object
 * for every row, so memoised rows do not re-render when it is passed again.
 */
export interface RowRoving {
  register(key: string, element: View | null): void;
  /** The row got the focus (by keys, a click, or one of its controls): Tab re-enters here. */
  focused(key: string): void;
  /** Arrow keys, Home and End: the timeline moves the focus to another row. */
  keyDown(key: string, event: RowKeyEvent): void;
  /** Moves the keyboard focus to a row, scrolling it into view first if it is not drawn. */
  focus(key: string): void;
}

/** Enter, the context-menu key or Shift+F10: what opens a focused row's actions. */
const isActivation = (event: RowKeyEvent) =>
  event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey);

/**
 * One focusable row of the timeline: named as a whole for screen readers, outlined while it has
 * the keyboard focus, and only in the Tab order when it is the timeline's current row.
 */
export function TimelineRow({
  itemKey,
  label,
  current,
  roving,
  onActivate,
  children,
  found = false,
}: {
  itemKey: string;
  label: string;
  current: boolean;
  /** The message a search result or a link opened the conversation at: marked. */
  found?: boolean;
  roving: RowRoving;
  /** Enter on the row itself (not in a field inside it): its actions menu, a retry. */
  onActivate?: () => void;
  children: ReactNode;
}) {
  const { colors } = useTheme();
  const [focused, setFocused] = useState(false);
  return (
    <View
      ref={(element) => roving.register(itemKey, element)}
      role="article"
      aria-label={label}
      aria-current={found ? 'true' : undefined}
      tabIndex={current ? 0 : -1}
      onFocus={(event) => {
        roving.focused(itemKey);
        setFocused(event.target === event.currentTarget);
      }}
      onBlur={() => setFocused(false)}
      {...({
        onKeyDown: (event: RowKeyEvent) => {
          // Keys typed in the editor inside the row are the editor's.
          if (event.target !== event.currentTarget) return;
          if (onActivate && isActivation(event)) {
            event.preventDefault();
            onActivate();
            return;
          }
          roving.keyDown(itemKey, event);
        },
      } as object)}
      style={[
        { borderRadius: 6 },
        found && { backgroundColor: colors.mark },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const, outlineOffset: -2 },
      ]}
    >
      {children}
    </View>
  );
}
