/*!
 * Parley chat widget, the one-file build for a script tag:
 *
 *   <script src="https://chat.example.com/widget/parley.js" data-token-url="/chat/token"
 *           data-rooms="lobby,team-7:general" async></script>
 *
 * Everything lives in a Shadow DOM; the only global is window.Parley. All text coming from the network is
 * rendered as text (never markup), and the token lives in memory only. Reference: docs/widget.md.
 */
import { LOCALES, STRINGS, VERSION, get, mount } from './index.js';
import { boolOption, optionsFromScript } from './options.js';

// null when this file is injected as a module or eval'd; read now, while the tag is executing.
const SCRIPT = document.currentScript;

/** The script's own server: the folder above /widget/parley.js, so a path prefix behind a proxy works. */
function scriptDefaults() {
  if (!SCRIPT) return {};
  const defaults = optionsFromScript(SCRIPT);
  if (!defaults.server && SCRIPT.src) defaults.server = new URL('../', SCRIPT.src).href;
  return defaults;
}

function install() {
  window.Parley = Object.freeze({
    version: VERSION,
    STRINGS,
    LOCALES,
    /** The script tag's data attributes are defaults; options given here win. */
    mount: (target, options) => mount(target, options, scriptDefaults()),
    get,
  });

  const announce = () => {
    if (SCRIPT && boolOption(SCRIPT.dataset.autoMount, true)) {
      try {
        window.Parley.mount(SCRIPT.dataset.target || null);
      } catch (error) {
        console.error(error.message);
      }
    }
    // With an async script tag, a host page waits for this instead of polling for window.Parley.
    document.dispatchEvent(new CustomEvent('parley:load'));
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', announce, { once: true });
  else announce();
}

// Loaded twice (two tags, or a tag plus a bundler copy): the first copy keeps running.
if (!(window.Parley && typeof window.Parley.mount === 'function')) install();
