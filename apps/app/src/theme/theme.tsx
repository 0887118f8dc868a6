import { createContext, useContext, type ReactNode } from 'react';
import { useColorScheme } from 'react-native';
import { useAppSelector } from '../store';
import { dark, light, type Palette } from './palette';

export interface Theme {
  dark: boolean;
  colors: Palette;
}

const ThemeContext = createContext<Theme>({ dark: false, colors: light });

/** Light, dark, or whatever the device says, as chosen in Profile. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const choice = useAppSelector((s) => s.preferences.theme);
  const system = useColorScheme();
  const isDark = choice === 'dark' || (choice === 'system' && system === 'dark');
  return (
    <ThemeContext.Provider value={{ dark: isDark, colors: isDark ? dark : light }}>{children}</ThemeContext.Provider>
  );
}

export const useTheme = () => useContext(ThemeContext);
