import { getPathFromState } from '@react-navigation/native';
import { Platform, type GestureResponderEvent } from 'react-native';
import { linking } from './linking';
import type { RootStackParamList } from './types';

/**
 * On the web, a real `<a href>`: Enter follows it (React Native Web leaves a `role="link"` without
 * an href to the browser, which does nothing), and a click with Ctrl/Cmd/Shift opens a new tab.
 */
export function anchorProps(href: string, go: () => void) {
  if (Platform.OS !== 'web') return { onPress: go };
  return {
    href,
    onPress: (event: GestureResponderEvent) => {
      const click = event.nativeEvent as unknown as Partial<MouseEvent>;
      if (click.metaKey || click.ctrlKey || click.shiftKey) return;
      event.preventDefault();
      go();
    },
  };
}

/** A screen's web address, from the one table of URLs (`linking.ts`): `/tickets/01J…`. */
export function hrefOf<Route extends keyof RootStackParamList>(route: Route, params?: RootStackParamList[Route]) {
  return getPathFromState({ routes: [{ name: route, params }] }, linking.config);
}
