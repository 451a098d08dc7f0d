import { DEFAULT_LIMITS, isValidRoom } from '../client/limits.js';
import { tokenUrlSource } from '../client/token.js';

/**
 * `rooms` as a list or a comma-separated string; `name=Label` sets a tab label (room names never contain
 * '='). Invalid names are skipped with a console warning.
 */
export function parseRooms(value) {
  const list = Array.isArray(value) ? value : String(value || '').split(',');
  const rooms = [];
  const labels = {};
  for (const entry of list) {
    const raw = String(entry).trim();
    if (!raw) continue;
    const eq = raw.indexOf('=');
    const name = (eq < 0 ? raw : raw.slice(0, eq)).trim();
    if (!isValidRoom(name)) {
      console.warn('[parley] ignoring invalid room name:', name);
      continue;
    }
    if (eq >= 0 && raw.slice(eq + 1).trim()) labels[name] = raw.slice(eq + 1).trim();
    if (!rooms.includes(name)) rooms.push(name);
  }
  return { rooms, labels };
}

export function boolOption(value, fallback) {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  return !/^(false|0|no|off)$/i.test(String(value));
}

function numberOption(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * Checks and completes the widget's options (a JS object; for the script tag, its data attributes merged
 * under it). `defaultServer` is the chat service to use when `server` is not set. Throws on a missing room
 * or token source.
 */
export function resolveOptions(raw, defaultServer) {
  const { rooms, labels } = parseRooms(raw.rooms);
  if (!rooms.length) throw new Error('Parley: no valid room (set data-rooms or options.rooms)');
  let tokenSource;
  if (typeof raw.getToken === 'function') {
    tokenSource = () => raw.getToken();
  } else if (raw.tokenUrl) {
    const extra = raw.tokenBody;
    tokenSource = tokenUrlSource(raw.tokenUrl, () => {
      const body = typeof extra === 'function' ? extra() : extra;
      return Object.assign({ rooms }, body && typeof body === 'object' ? body : {});
    });
  } else {
    throw new Error('Parley: set data-token-url or options.tokenUrl / options.getToken');
  }
  const locale = raw.locale || document.documentElement.lang || undefined;
  return {
    server: raw.server || defaultServer,
    tokenSource,
    rooms,
    roomLabels: Object.assign(labels, raw.roomLabels || {}),
    room: raw.room,
    mode: raw.mode === 'inline' ? 'inline' : 'launcher',
    open: boolOption(raw.open, false),
    position: raw.position === 'left' || raw.position === 'right' ? raw.position : null,
    title: raw.title,
    strings: raw.strings,
    locale,
    dir: raw.dir,
    maxLength: numberOption(raw.maxLength, DEFAULT_LIMITS.text),
    persistOutbox: boolOption(raw.persistOutbox, true),
    reconnectBaseMs: numberOption(raw.reconnectBaseMs, 1000),
    reconnectMaxMs: numberOption(raw.reconnectMaxMs, 30000),
  };
}

/** The script tag's data attributes, as options. */
export function optionsFromScript(script) {
  const d = script.dataset;
  return {
    server: d.server,
    tokenUrl: d.tokenUrl,
    rooms: d.rooms,
    room: d.room,
    mode: d.mode,
    open: d.open,
    position: d.position,
    title: d.title,
    locale: d.locale,
    dir: d.dir,
    maxLength: d.maxLength,
    persistOutbox: d.persistOutbox,
  };
}
