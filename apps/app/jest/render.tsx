import { render } from '@testing-library/react-native';
import type { ReactElement } from 'react';
import { Provider } from 'react-redux';
import { createStore } from '../src/store';
import { ThemeProvider } from '../src/theme/theme';

/** Renders a piece of the app as the phone shows it: with the app's store (a fresh one) and the theme. */
export function renderOnPhone(element: ReactElement, store = createStore()) {
  return render(
    <Provider store={store}>
      <ThemeProvider>{element}</ThemeProvider>
    </Provider>,
  );
}
