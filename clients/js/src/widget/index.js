/**
 * @parley/client/widget: the Parley chat widget as an ES module. `mount()` puts a widget on the page; the
 * script-tag build (window.Parley) is this module plus src/widget/embed.js. Types: types/widget.d.ts.
 */
import { Widget } from './widget.js';
import { resolveOptions } from './options.js';

export { STRINGS, LOCALES } from './strings.js';
export { VERSION } from '../client/index.js';

const instances = [];

/**
 * Mounts a widget on `target` (an element or a selector; without one, a new `<parley-chat>` at the end of
 * `<body>`) and returns its instance. `defaults` are options under `options` (the script tag's attributes).
 */
export function mount(target, options = {}, defaults = {}) {
  let host = typeof target === 'string' ? document.querySelector(target) : target;
  let created = false;
  if (target != null && !(host instanceof Element)) throw new Error('Parley.mount: no element matches ' + String(target));
  if (host == null) {
    host = document.createElement('parley-chat');
    document.body.append(host);
    created = true;
  }
  if (instances.some((w) => w.host === host)) throw new Error('Parley.mount: this element already has a widget');
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(options || {})) if (value !== undefined) merged[key] = value;
  const widget = new Widget(host, resolveOptions(merged, defaults.server || location.origin + '/'), created);
  instances.push(widget);
  widget.on('status', ({ state }) => {
    if (state === 'destroyed') instances.splice(instances.indexOf(widget), 1);
  });
  return publicInstance(widget);
}

/** The widget mounted on `target` (element or selector), or the first one mounted. */
export function get(target) {
  if (target == null) return instances[0] ? publicInstance(instances[0]) : null;
  const el = typeof target === 'string' ? document.querySelector(target) : target;
  const widget = instances.find((w) => w.host === el);
  return widget ? publicInstance(widget) : null;
}

/** The instance a host page holds: the documented API, nothing of the internals. */
function publicInstance(widget) {
  if (widget.api) return widget.api;
  widget.api = Object.freeze({
    open: () => widget.open(),
    close: () => widget.close(),
    toggle: () => widget.toggle(),
    switchRoom: (room) => widget.switchRoom(room),
    send: (text, room) => widget.send(text, room),
    destroy: () => widget.destroy(),
    on: (event, fn) => widget.on(event, fn),
    off: (event, fn) => widget.off(event, fn),
    get user() { return widget.user; },
    get room() { return widget.active; },
    get rooms() { return Array.from(widget.rooms.keys()); },
    get status() { return widget.status; },
    get unread() { return widget.unread; },
    get isOpen() { return widget.isOpen; },
    get element() { return widget.host; },
    get client() { return widget.client; },
  });
  return widget.api;
}
