import { ChatController } from './chat-controller';
import { frameStorage } from './frame-storage';
import { STYLES } from './styles';
import { widgetApi } from './widget-api';

/**
 * `widget-app.js`: the chat inside the widget's iframe. The frame page (served by Parley at
 * `/widget-frame/:key`) holds `<main id="parley-widget" data-key="…">`; a verified identity, when
 * the host page gave one, comes in the fragment (`#uid=…&uh=…`), which never reaches the server.
 */
const root = document.getElementById('parley-widget');
const key = root?.dataset.key;
if (root && key) {
  const style = document.createElement('style');
  style.textContent = STYLES;
  document.head.append(style);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const userId = fragment.get('uid');
  const hash = fragment.get('uh');
  const identity = userId && hash ? { userId, hash } : null;
  new ChatController(root, key, identity, widgetApi, frameStorage()).start();
}
