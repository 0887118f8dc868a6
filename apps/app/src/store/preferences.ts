import AsyncStorage from '@react-native-async-storage/async-storage';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Language = 'en' | 'de';

export interface PreferencesState {
  theme: ThemeChoice;
  language: Language;
}

const KEY = 'parley.preferences';
const initialState: PreferencesState = { theme: 'system', language: 'en' };

export const loadPreferences = createAsyncThunk('preferences/load', async () => {
  const stored = await AsyncStorage.getItem(KEY);
  return stored ? { ...initialState, ...(JSON.parse(stored) as Partial<PreferencesState>) } : initialState;
});

const preferences = createSlice({
  name: 'preferences',
  initialState,
  reducers: {
    setTheme(state, action: PayloadAction<ThemeChoice>) {
      state.theme = action.payload;
    },
    setLanguage(state, action: PayloadAction<Language>) {
      state.language = action.payload;
    },
  },
  extraReducers: (builder) => builder.addCase(loadPreferences.fulfilled, (_, { payload }) => payload),
});

/** Kept across launches (a tiny write on each change). */
export const persistPreferences = (state: PreferencesState) => AsyncStorage.setItem(KEY, JSON.stringify(state));

export const { setTheme, setLanguage } = preferences.actions;
export default preferences.reducer;
