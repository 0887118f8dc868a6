import { embedWidget, readScript } from './embed';

/**
 * `widget.js`: the one script a site adds. It finds its own tag, then adds the chat's iframe.
 * `document.currentScript` is null only when run from elsewhere than a classic script tag.
 */
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-parley-key]');
const options = script && readScript(script);
if (options) {
  const start = () => embedWidget(document, options);
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
