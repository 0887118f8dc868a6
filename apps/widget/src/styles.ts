/**
 * The frame's whole stylesheet. It lives in the script (the frame page's CSP allows inline
 * styles) so the widget is two files; the frame is its own document, so nothing leaks either way.
 * `--pw-accent` and `--pw-on-accent` carry the workspace's colour (theme.ts).
 */
export const STYLES = `
*,*::before,*::after{box-sizing:border-box}
html,body{margin:0;height:100%;background:transparent;overflow:hidden}
body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937}
#parley-widget{height:100%}
button,input,textarea{font:inherit;color:inherit}
:focus-visible{outline:3px solid var(--pw-accent);outline-offset:2px}
.pw-sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.pw-launcher{position:fixed;right:8px;bottom:8px;width:56px;height:56px;border:0;border-radius:50%;padding:0;background:var(--pw-accent);color:var(--pw-on-accent);cursor:pointer;display:grid;place-items:center;box-shadow:0 2px 6px rgba(0,0,0,.3)}
[hidden]{display:none!important}
.pw-badge{position:absolute;top:0;right:0;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;line-height:20px;font-weight:700}
.pw-panel{display:flex;flex-direction:column;height:100%;background:#fff;border:1px solid #d1d5db;border-radius:12px;overflow:hidden}
.pw-head{display:flex;align-items:flex-start;gap:8px;padding:12px 12px 12px 16px;background:var(--pw-accent);color:var(--pw-on-accent)}
.pw-head-text{flex:1;min-width:0}
.pw-title{margin:0;font-size:17px;font-weight:700;overflow-wrap:anywhere}
.pw-logo{display:block;max-height:32px;max-width:160px}
.pw-greeting{margin:4px 0 0;font-size:14px;overflow-wrap:anywhere}
.pw-close{flex:none;width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:inherit;font-size:24px;line-height:1;cursor:pointer}
.pw-close:focus-visible{outline-color:var(--pw-on-accent);outline-offset:-3px}
.pw-status{padding:6px 12px;background:#fef3c7;color:#78350f;font-size:13px;display:flex;gap:8px;align-items:center}
.pw-link{border:0;background:none;padding:0;color:inherit;text-decoration:underline;cursor:pointer;font-size:inherit}
.pw-scroll{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column}
.pw-log{display:flex;flex-direction:column;gap:6px}
.pw-earlier{align-self:center;margin-bottom:4px;color:#374151;font-size:13px}
.pw-msg{max-width:85%;display:flex;flex-direction:column;align-items:flex-start}
.pw-mine{align-self:flex-end;align-items:flex-end}
.pw-who{font-size:12px;color:#4b5563;margin:6px 4px 2px}
.pw-bubble{padding:8px 12px;border-radius:16px 16px 16px 4px;background:#f3f4f6;white-space:pre-wrap;overflow-wrap:anywhere}
.pw-mine .pw-bubble{border-radius:16px 16px 4px 16px;background:var(--pw-accent);color:var(--pw-on-accent)}
.pw-deleted .pw-bubble{font-style:italic;opacity:.8}
.pw-meta{font-size:12px;color:#4b5563;margin:2px 4px 0}
.pw-failed .pw-meta{color:#b91c1c}
.pw-system{align-self:center;max-width:100%;font-size:12px;color:#4b5563;text-align:center}
.pw-typing{min-height:20px;padding:0 12px 2px;font-size:12px;color:#4b5563}
.pw-form{border-top:1px solid #e5e7eb;padding:8px 12px 12px;display:flex;flex-direction:column;gap:8px}
.pw-prechat{border:0;margin:0;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:8px}
.pw-prechat legend{padding:0;margin-bottom:4px;font-size:13px;color:#374151}
.pw-field{display:flex;flex-direction:column;gap:2px;font-size:13px;color:#374151;min-width:0}
.pw-error{grid-column:1/-1;margin:0;font-size:13px;color:#b91c1c}
input,textarea{width:100%;border:1px solid #6b7280;border-radius:8px;padding:6px 8px;background:#fff}
input[aria-invalid=true]{border-color:#b91c1c}
.pw-row{display:flex;gap:8px;align-items:flex-end}
.pw-row textarea{flex:1;resize:none;height:40px;max-height:120px}
.pw-send{flex:none;height:40px;padding:0 16px;border:0;border-radius:8px;background:var(--pw-accent);color:var(--pw-on-accent);font-weight:600;cursor:pointer}
`;
