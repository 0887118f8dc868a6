import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { Platform, useColorScheme } from 'react-native';
import { useAppSelector } from '../store';
import { accentPalette } from './accent';
import { dark, light, type Palette } from './palette';

export interface Theme {
  dark: boolean;
  colors: Palette;
}

const ThemeContext = createContext<Theme>({ dark: false, colors: light });

/**
 * Light, dark, or whatever the device says, as chosen in Profile; buttons, links and selected
 * states in the workspace's accent colour, made readable in that theme (`accent.ts`).
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const choice = useAppSelector((s) => s.preferences.theme);
  const accent = useAppSelector((s) => s.session.user?.workspace?.accentColor ?? null);
  const system = useColorScheme();
  const isDark = choice === 'dark' || (choice === 'system' && system === 'dark');
  const colors = accentPalette(isDark ? dark : light, accent);
  useEffect(() => {
    // The browser's own parts (scrollbars, form controls, the page behind the app) follow too.
    if (Platform.OS === 'web') document.documentElement.style.colorScheme = isDark ? 'dark' : 'light';
  }, [isDark]);
  return <ThemeContext.Provider value={{ dark: isDark, colors }}>{children}</ThemeContext.Provider>;
}

export const useTheme = () => useContext(ThemeContext);
