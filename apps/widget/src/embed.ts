import { isResizeMessage } from './resize-message';

/** Pinned with `!important`, so a host page's own `iframe { … }` rules cannot move or hide it. */
const PLACED = {
  position: 'fixed',
  top: 'auto',
  left: 'auto',
  'z-index': '2147483000',
  border: '0',
  margin: '0',
  padding: '0',
  display: 'block',
  background: 'transparent',
  // The frame declares no colour scheme; a host page in `color-scheme: dark` would otherwise
  // give the iframe an opaque backdrop instead of a transparent one.
  'color-scheme': 'light',
  'max-width': 'none',
  'max-height': 'none',
  'box-shadow': 'none',
  opacity: '1',
  visibility: 'visible',
};
const CLOSED = { width: '72px', height: '72px', bottom: '16px', right: '16px' };
const OPEN = {
  width: 'min(400px, calc(100vw - 32px))',
  height: 'min(640px, calc(100vh - 32px))',
  bottom: '16px',
  right: '16px',
};
const FULL_SCREEN = { width: '100%', height: '100%', bottom: '0', right: '0' };
/** Where the open chat takes the whole screen rather than a corner of it. */
const SMALL_SCREEN = '(max-width: 480px)';

export interface WidgetScriptOptions {
  key: string;
  /** The Parley server's origin: where the script came from. */
  origin: string;
  identity: { userId: string; hash: string } | null;
}

/** What the `<script data-parley-key …>` tag says, or null when it is not usable. */
export function readScript(script: HTMLScriptElement): WidgetScriptOptions | null {
  const key = script.dataset.parleyKey;
  if (!key || !script.src) return null;
  const { userId, userHash } = script.dataset;
  return {
    key,
    origin: new URL(script.src, script.ownerDocument.baseURI).origin,
    identity: userId && userHash ? { userId, hash: userHash } : null,
  };
}

/**
 * The frame's address. A verified identity goes in the fragment: the browser never sends it to
 * the server, so it stays out of request logs; the frame reads it from `location.hash`.
 */
export function frameUrl({ key, origin, identity }: WidgetScriptOptions): string {
  const url = `${origin}/widget-frame/${encodeURIComponent(key)}`;
  if (!identity) return url;
  return `${url}#uid=${encodeURIComponent(identity.userId)}&uh=${encodeURIComponent(identity.hash)}`;
}

/**
 * Adds the chat's iframe to the host page, closed (the launcher only), and resizes it when the
 * frame says the chat opened or closed. It touches nothing else of the page: one element, one
 * `message` listener that heeds only our frame.
 */
export function embedWidget(doc: Document, options: WidgetScriptOptions): HTMLIFrameElement {
  const win = doc.defaultView!;
  const iframe = doc.createElement('iframe');
  iframe.src = frameUrl(options);
  iframe.title = 'Chat';
  let open = false;
  const small = win.matchMedia?.(SMALL_SCREEN);
  const place = () => {
    const size = !open ? CLOSED : small?.matches ? FULL_SCREEN : OPEN;
    for (const [property, value] of Object.entries({ ...PLACED, ...size })) {
      iframe.style.setProperty(property, value, 'important');
    }
  };
  place();
  small?.addEventListener?.('change', place);
  win.addEventListener('message', (event) => {
    if (event.origin !== options.origin || event.source !== iframe.contentWindow) return;
    if (!isResizeMessage(event.data)) return;
    open = event.data.open;
    place();
  });
  doc.body.appendChild(iframe);
  return iframe;
}
