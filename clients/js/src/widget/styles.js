/**
 * The widget's styles, inside its shadow root. Only `--parley-*` custom properties come in from the page.
 * Inline directions are logical (start/end), so a right-to-left locale mirrors the layout; the launcher's
 * corner is the `position` option.
 */
export const BASE_CSS = `
.root {
  all: initial;
  --_accent: var(--parley-accent, #4f46e5);
  --_accent-fg: var(--parley-accent-fg, #ffffff);
  --_bg: var(--parley-bg, #ffffff);
  --_fg: var(--parley-fg, #1f2328);
  --_muted: var(--parley-muted, #59636e);
  --_border: var(--parley-border, #d1d9e0);
  --_bubble-bg: var(--parley-bubble-bg, #eef1f4);
  --_bubble-fg: var(--parley-bubble-fg, var(--parley-fg, #1f2328));
  --_own-bg: var(--parley-own-bg, var(--parley-accent, #4f46e5));
  --_own-fg: var(--parley-own-fg, var(--parley-accent-fg, #ffffff));
  --_danger: var(--parley-danger, #c62828);
  --_radius: var(--parley-radius, 14px);
  --_font: var(--parley-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  --_font-size: var(--parley-font-size, 14px);
  --_shadow: var(--parley-shadow, 0 12px 40px rgba(15, 23, 42, 0.25));
  --_z: var(--parley-z-index, 2147483000);
  --_width: var(--parley-width, 380px);
  --_height: var(--parley-height, 580px);
  --_offset: var(--parley-offset, 20px);
  display: block;
  font-family: var(--_font);
  font-size: var(--_font-size);
  line-height: 1.45;
  color: var(--_fg);
  text-align: start;
  -webkit-font-smoothing: antialiased;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, textarea { font: inherit; color: inherit; margin: 0; }
button { cursor: pointer; }
button:disabled { cursor: not-allowed; opacity: 0.55; }
:focus { outline: none; }
:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
svg { width: 20px; height: 20px; fill: currentColor; display: block; }

.launcher {
  position: fixed; right: var(--_offset); bottom: var(--_offset); z-index: var(--_z);
  width: 58px; height: 58px; padding: 0; border: 0; border-radius: 50%;
  background: var(--_accent); color: var(--_accent-fg); box-shadow: var(--_shadow);
  display: grid; place-items: center; transition: transform 0.15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; }
.launcher:focus-visible { outline-offset: 3px; }
.left .launcher { right: auto; left: var(--_offset); }
.badge {
  position: absolute; top: -4px; inset-inline-end: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; border: 2px solid var(--_bg); background: var(--_danger); color: #fff;
  font-size: 12px; font-weight: 700; line-height: 18px; text-align: center;
}

.panel {
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--_bg); color: var(--_fg);
  border: 1px solid var(--_border); border-radius: var(--_radius);
}
.launcher-mode .panel {
  position: fixed; z-index: var(--_z);
  right: var(--_offset); bottom: calc(var(--_offset) + 70px);
  width: var(--_width); height: var(--_height);
  max-width: calc(100vw - 2 * var(--_offset)); max-height: calc(100vh - 2 * var(--_offset) - 80px);
  box-shadow: var(--_shadow); animation: parley-in 0.16s ease-out;
}
.left.launcher-mode .panel { right: auto; left: var(--_offset); }
.inline-mode { height: 100%; }
.inline-mode .panel { height: 100%; min-height: 320px; }
@keyframes parley-in { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
@media (max-width: 480px) {
  .launcher-mode .panel {
    inset: 0; width: auto; height: auto; max-width: none; max-height: none;
    border: 0; border-radius: 0;
  }
  .launcher-mode.is-open .launcher { display: none; }
}
@media (prefers-reduced-motion: reduce) {
  .launcher, .launcher-mode .panel { transition: none; animation: none; }
}

.header {
  display: flex; align-items: center; gap: 8px; padding-block: 10px; padding-inline: 16px 10px;
  background: var(--_accent); color: var(--_accent-fg);
}
.title {
  flex: 1; min-width: 0; margin: 0; font-size: 16px; font-weight: 650; line-height: 1.3;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.people-toggle {
  display: inline-flex; align-items: center; gap: 6px; padding: 4px 10px;
  border: 1px solid currentColor; border-radius: 999px; background: transparent;
  font-size: 12px; font-weight: 600; white-space: nowrap;
}
.people-toggle::before {
  content: ""; width: 8px; height: 8px; border-radius: 50%; background: #3fb950;
}
.close {
  width: 34px; height: 34px; padding: 0; border: 0; border-radius: 50%;
  background: transparent; display: grid; place-items: center;
}
.close:hover { background: rgba(255, 255, 255, 0.18); }
.header :focus-visible { outline-color: var(--_accent-fg); }

.tabs {
  display: flex; gap: 2px; padding: 4px 8px 0; overflow-x: auto;
  border-bottom: 1px solid var(--_border); scrollbar-width: thin;
}
.tab {
  display: inline-flex; align-items: center; gap: 6px; padding: 8px 10px 6px;
  border: 0; border-bottom: 2px solid transparent; background: transparent;
  color: var(--_muted); white-space: nowrap;
}
.tab[aria-selected="true"] { color: var(--_fg); border-bottom-color: var(--_accent); font-weight: 650; }
.tab-count {
  min-width: 18px; padding: 0 5px; border-radius: 9px; background: var(--_danger); color: #fff;
  font-size: 11px; font-weight: 700; line-height: 18px; text-align: center;
}

.status {
  display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; padding: 7px 14px;
  background: #fff4d6; color: #4d3800; font-size: 12.5px; border-bottom: 1px solid #f0dca0;
}
.status[data-state="stopped"], .status[data-state="signed-out"] {
  background: #fdecea; color: #7a1c1c; border-bottom-color: #f3c2bd;
}
.status button {
  padding: 0; border: 0; background: none; color: inherit; font-weight: 700; text-decoration: underline;
}

.people {
  max-height: 40%; overflow-y: auto; padding: 10px 16px; border-bottom: 1px solid var(--_border);
}
.people-title { margin: 0 0 6px; font-size: 12px; font-weight: 700; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
.people-list { list-style: none; margin: 0; padding: 0; }
.people-list li { display: flex; align-items: center; gap: 8px; padding: 2px 0; }
.people-list li::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #2da44e; flex: none; }
.people-note { margin: 0; color: var(--_muted); font-size: 12.5px; }

.body { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
.scroller { flex: 1; min-height: 0; overflow-y: auto; padding: 14px 12px 6px; overscroll-behavior: contain; }
.log, .outbox { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.outbox:not(:empty) { margin-top: 10px; }
.empty { margin: 32px 12px; text-align: center; color: var(--_muted); }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 86%; align-self: flex-start; }
.msg.own { align-self: flex-end; align-items: flex-end; }
.meta { display: flex; align-items: baseline; gap: 8px; margin: 0 6px 2px; font-size: 12px; color: var(--_muted); }
.author { font-weight: 650; color: var(--_fg); }
.own .author { color: var(--_muted); font-weight: 500; }
.bubble {
  padding: 8px 12px; border-radius: var(--_radius); border-start-start-radius: 4px;
  background: var(--_bubble-bg); color: var(--_bubble-fg);
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.own .bubble { background: var(--_own-bg); color: var(--_own-fg); border-start-start-radius: var(--_radius); border-start-end-radius: 4px; }
[dir="rtl"] .send svg { transform: scaleX(-1); }
.bubble a { color: inherit; text-decoration: underline; }
.msg.system, .msg.notice { align-self: center; align-items: center; max-width: 100%; text-align: center; }
.system .bubble, .notice .bubble {
  padding: 2px 10px; background: transparent; color: var(--_muted); font-size: 12.5px; font-style: italic;
}
.system .meta { display: none; }
.pending .bubble { opacity: 0.7; }
.state { margin: 3px 6px 0; font-size: 11.5px; color: var(--_muted); display: flex; gap: 8px; align-items: center; }
.failed .bubble { opacity: 1; outline: 1px solid var(--_danger); }
.failed .state { color: var(--_danger); }
.state button { padding: 0; border: 0; background: none; color: inherit; text-decoration: underline; font-size: inherit; }
.jump {
  position: absolute; left: 50%; bottom: 8px; transform: translateX(-50%);
  padding: 5px 14px; border: 0; border-radius: 999px; background: var(--_accent); color: var(--_accent-fg);
  font-size: 12.5px; font-weight: 600; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2);
}
.typing { min-height: 20px; padding: 0 16px 2px; font-size: 12px; font-style: italic; color: var(--_muted); }

.composer { display: flex; align-items: flex-end; gap: 8px; padding: 8px 12px 12px; border-top: 1px solid var(--_border); }
.input {
  flex: 1; min-width: 0; min-height: 42px; max-height: 140px; resize: none; padding: 10px 12px;
  border: 1px solid var(--_border); border-radius: 10px; background: var(--_bg); color: var(--_fg);
  line-height: 1.4;
}
.input::placeholder { color: var(--_muted); opacity: 1; }
.input:focus-visible { outline: 2px solid var(--_accent); outline-offset: 0; border-color: transparent; }
.send {
  flex: none; width: 42px; height: 42px; padding: 0; border: 0; border-radius: 10px;
  background: var(--_accent); color: var(--_accent-fg); display: grid; place-items: center;
}
.counter { padding: 0 14px 6px; text-align: end; font-size: 11.5px; color: var(--_muted); }
`;

// In launcher mode the host element is only an anchor: reset whatever the page's CSS gives it.
// Inside a shadow root, `!important` on :host beats the page's own `!important` rules.
export const LAUNCHER_HOST_CSS = ':host { all: initial !important; display: block !important; width: 0 !important; height: 0 !important; }';
// Inline, the page sizes the element; only inherited text styles are cut off (by .root's all: initial).
export const INLINE_HOST_CSS = ':host { display: block; }';
