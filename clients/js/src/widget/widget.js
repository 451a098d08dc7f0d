import { ParleyClient } from '../client/client.js';
import { Emitter } from '../client/emitter.js';
import { ParleyError } from '../client/errors.js';
import { isValidRoom } from '../client/limits.js';
import { Composer } from './composer.js';
import { adoptStyles, h, icon, ICON_CHAT, ICON_CLOSE } from './dom.js';
import { MessageList } from './message-list.js';
import { PresenceView } from './presence.js';
import { RoomList } from './room-list.js';
import { StatusLine } from './status-line.js';
import { isRtl, makeTranslator, stringsFor } from './strings.js';
import { BASE_CSS, INLINE_HOST_CSS, LAUNCHER_HOST_CSS } from './styles.js';

const RETAINED_PER_ROOM = 500; // entries drawn per room
const ownShadowRoots = new WeakSet();
let idCounter = 0;

/**
 * The chat widget: a UI on one ParleyClient, inside a Shadow DOM. The client does the connection, rooms,
 * de-duplication and the outbox; the widget arranges the views (room tabs, message list, composer, presence,
 * status line), counts unread messages, and tells the host page what happens through its events.
 */
export class Widget {
  constructor(host, options, createdHost) {
    this.host = host;
    this.createdHost = createdHost;
    this.options = options;
    this.inline = options.mode === 'inline';
    this.t = makeTranslator(stringsFor(options.locale, options.strings), options.locale);
    this.dir = options.dir === 'rtl' || options.dir === 'ltr' ? options.dir : isRtl(options.locale) ? 'rtl' : 'ltr';
    this.events = new Emitter();
    this.uid = 'parley-' + (++idCounter);
    this.isOpen = this.inline || options.open;
    this.status = 'idle';
    this.welcomedOnce = false;
    this.destroyed = false;
    this.lastUnreadTotal = undefined;
    this.lastUnreadRooms = null;
    this.rooms = new Map();
    for (const name of options.rooms) this.rooms.set(name, this.viewRoom(name));
    this.active = options.room && this.rooms.has(options.room) ? options.room : options.rooms[0];

    this.client = new ParleyClient({
      server: options.server,
      getToken: options.tokenSource,
      persistOutbox: options.persistOutbox,
      reconnect: { baseMs: options.reconnectBaseMs, maxMs: options.reconnectMaxMs },
    });
    this.buildDom();
    this.listen();
    for (const name of Array.from(this.rooms.keys())) {
      try {
        this.client.join(name);
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error;
        console.warn('[parley] not joining', name + ':', error.message); // past the server's room limit
        this.rooms.delete(name);
      }
    }
    this.renderAll();

    this.onVisibility = () => {
      if (document.visibilityState === 'visible') this.markActiveRead();
    };
    document.addEventListener('visibilitychange', this.onVisibility);
    // After mount() returns, so listeners the host adds right away see the first status.
    queueMicrotask(() => {
      if (!this.destroyed) this.client.connect();
    });
  }

  // -------------------------------------------------------------- public API

  open() {
    if (this.destroyed || this.inline || this.isOpen) return;
    this.isOpen = true;
    this.renderOpenState();
    this.markActiveRead();
    this.list.scrollToBottom();
    (this.composer.input.disabled ? this.els.close : this.composer.input).focus();
    if (this.status === 'offline' || this.status === 'signed-out') this.client.retryNow();
    this.events.emit('open', {});
  }

  close() {
    if (this.destroyed || this.inline || !this.isOpen) return;
    const hadFocus = this.shadow.activeElement != null;
    this.isOpen = false;
    this.presence.close();
    this.renderOpenState();
    if (hadFocus) this.els.launcher.focus();
    this.events.emit('close', {});
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  switchRoom(name) {
    if (this.destroyed || !isValidRoom(name, this.client.limits)) return false;
    if (!this.rooms.has(name)) {
      this.rooms.set(name, this.viewRoom(name));
      try {
        this.client.join(name);
      } catch (error) {
        this.rooms.delete(name);
        if (error instanceof ParleyError) return false;
        throw error;
      }
      this.renderTabs();
    }
    if (this.active !== name) {
      this.active = name;
      this.presence.close();
      this.renderAll();
      this.markActiveRead();
      this.events.emit('room', { room: name });
    }
    return true;
  }

  /** Queues a message for a room (the active one by default); returns its `ref`, or null if it cannot be sent. */
  send(text, roomName = this.active) {
    if (this.destroyed || this.status === 'stopped' || !this.rooms.has(roomName)) return null;
    try {
      const ref = this.client.send(roomName, String(text ?? '').slice(0, this.maxLength()));
      if (roomName === this.active) this.list.scrollToBottom();
      return ref;
    } catch (error) {
      if (error instanceof ParleyError) return null;
      throw error;
    }
  }

  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('Parley: on(event, fn) needs a function');
    return this.events.on(event, fn);
  }

  off(event, fn) {
    this.events.off(event, fn);
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.client.close();
    this.list.destroy();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.shadow.replaceChildren();
    if (this.shadow.adoptedStyleSheets) this.shadow.adoptedStyleSheets = [];
    if (this.createdHost) this.host.remove();
    this.events.emit('status', { state: 'destroyed' });
    this.events.clear();
  }

  get user() {
    return this.client.user;
  }

  get unread() {
    let total = 0;
    for (const room of this.rooms.values()) total += room.unread;
    return total;
  }

  // -------------------------------------------------------------- what the client reports

  listen() {
    const c = this.client;
    c.on('state', ({ state, code, retryIn }) => this.onState(state, code, retryIn));
    c.on('welcome', (e) => this.onWelcome(e));
    c.on('joined', (e) => this.onJoined(e));
    c.on('message', (e) => this.onMessage(e));
    c.on('pending', ({ room }) => {
      if (room === this.active) this.renderPending();
    });
    c.on('presence', (e) => {
      if (e.room === this.active) this.renderHeader();
      this.events.emit('presence', e);
    });
    c.on('typing', ({ room, users }) => {
      if (room === this.active) this.presence.showTyping(users);
    });
    c.on('forbidden', ({ room }) => {
      const view = this.rooms.get(room);
      if (view) view.forbidden = true;
      if (room === this.active) this.renderAll();
    });
    c.on('error', (e) => this.events.emit('error', e));
  }

  onState(state, code, retryIn) {
    if (this.destroyed) return;
    this.status = state;
    this.renderStatus();
    this.renderComposerState();
    this.renderHeader();
    this.events.emit('status', { state, code, retryIn });
  }

  onWelcome({ user, limits, first, userChanged }) {
    this.welcomedOnce = true;
    if (userChanged) for (const room of this.rooms.values()) Object.assign(room, { entries: [], unread: 0 });
    this.composer.setMaxLength(this.maxLength());
    if (first) this.events.emit('ready', { user });
    this.renderAll();
  }

  onJoined({ room: name, resumed, complete, history }) {
    const room = this.rooms.get(name);
    if (!room) return;
    room.forbidden = false;
    if (resumed && !complete) this.addEntry(room, { notice: this.t('gap') });
    if (!resumed) {
      // A first load is drawn in one go (see MessageList.showRoom), not announced message by message.
      room.entries.push(...history.map((message) => this.entryOf(message)));
      trim(room);
    }
    if (name === this.active) {
      this.renderHeader();
      if (resumed) this.renderEmpty();
      else this.renderMessages();
    }
  }

  /** A message the user has not seen: live, or caught up after a reconnect. */
  onMessage({ room: name, message, own }) {
    const room = this.rooms.get(name);
    if (!room) return;
    this.addEntry(room, this.entryOf(message));
    if (!own && !this.isVisible(room)) {
      room.unread++;
      this.renderUnread();
    }
    const { id, user, text, ts, kind } = message;
    this.events.emit('message', { room: name, message: { id, user, text, ts, kind }, own });
  }

  entryOf(message) {
    return { ...message, own: message.user != null && this.user != null && message.user.id === this.user.id };
  }

  // -------------------------------------------------------------- room state

  viewRoom(name) {
    return { name, label: this.labelFor(name), entries: [], unread: 0, forbidden: false };
  }

  labelFor(name) {
    const labels = this.options.roomLabels;
    if (labels && typeof labels[name] === 'string') return labels[name];
    const colon = name.lastIndexOf(':');
    return colon >= 0 && colon < name.length - 1 ? name.slice(colon + 1) : name;
  }

  addEntry(room, entry) {
    room.entries.push(entry);
    const trimmed = trim(room);
    if (room.name !== this.active) return;
    if (trimmed) this.renderMessages();
    else this.list.append(entry, room, this.client.isJoined(room.name));
  }

  maxLength() {
    return Math.min(this.options.maxLength, this.client.limits.text);
  }

  isVisible(room) {
    return room.name === this.active && this.isOpen && document.visibilityState === 'visible';
  }

  markActiveRead() {
    const room = this.rooms.get(this.active);
    if (room && room.unread && this.isVisible(room)) {
      room.unread = 0;
      this.renderUnread();
    }
  }

  // -------------------------------------------------------------- DOM

  buildDom() {
    const host = this.host;
    const shadow = host.shadowRoot && ownShadowRoots.has(host.shadowRoot)
      ? host.shadowRoot
      : host.attachShadow({ mode: 'open' });
    ownShadowRoots.add(shadow);
    this.shadow = shadow;
    adoptStyles(shadow, BASE_CSS + (this.inline ? INLINE_HOST_CSS : LAUNCHER_HOST_CSS));

    const t = this.t;
    const id = (suffix) => this.uid + '-' + suffix;
    const els = {};
    this.els = els;
    this.presence = new PresenceView({ t, uid: this.uid });
    this.list = new MessageList({
      t, locale: this.options.locale, uid: this.uid,
      onDismiss: (room, ref) => {
        this.client.dismiss(room, ref);
        this.composer.focus();
      },
      onJump: () => this.composer.focus(),
    });
    this.roomList = new RoomList({ t, uid: this.uid, panelId: this.list.scroller.id, onSelect: (name) => this.switchRoom(name) });
    this.statusLine = new StatusLine({ t, onRetry: () => this.client.retryNow() });
    this.composer = new Composer({
      t, uid: this.uid, maxLength: this.maxLength(),
      onSubmit: (text) => this.send(text) !== null,
      onTyping: (active) => this.client.typing(this.active, active),
    });

    els.title = h('h2', { class: 'title', id: id('title'), text: this.options.title || t('title') });
    els.close = this.inline ? null : h('button', {
      type: 'button', class: 'close', part: 'close', 'aria-label': t('closeChat'), title: t('closeChat'),
      onclick: () => this.close(),
    }, icon(ICON_CLOSE));
    const header = h('div', { class: 'header', part: 'header' }, els.title, this.presence.toggle, els.close);

    els.panel = h('section', {
      class: 'panel', id: id('dialog'), part: 'panel', 'aria-labelledby': id('title'),
      role: this.inline ? 'region' : 'dialog',
      onkeydown: (e) => {
        if (e.key === 'Escape' && !this.inline) {
          e.stopPropagation();
          this.close();
        }
      },
    }, header, this.roomList.element, this.statusLine.element, this.presence.people, this.list.element,
    this.presence.typing, this.composer.counter, this.composer.form);

    if (!this.inline) {
      els.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
      els.launcher = h('button', {
        type: 'button', class: 'launcher', part: 'launcher', 'aria-controls': id('dialog'), 'aria-expanded': 'false',
        onclick: () => this.toggle(),
      }, icon(ICON_CHAT), els.badge);
    }

    els.root = h('div', {
      class: 'root ' + (this.inline ? 'inline-mode' : 'launcher-mode') + (this.corner() === 'left' ? ' left' : ''),
      dir: this.dir,
      lang: this.options.locale || null,
      // Keys typed in the chat must not trigger the host page's keyboard shortcuts.
      onkeydown: (e) => e.stopPropagation(),
      onkeyup: (e) => e.stopPropagation(),
      onkeypress: (e) => e.stopPropagation(),
    }, els.launcher || null, els.panel);
    shadow.append(els.root);
  }

  /** The launcher's corner: the `position` option, else the end of the reading direction. */
  corner() {
    return this.options.position || (this.dir === 'rtl' ? 'left' : 'right');
  }

  renderAll() {
    this.renderOpenState();
    this.renderHeader();
    this.renderTabs();
    this.renderStatus();
    this.renderMessages();
    this.presence.showTyping(this.client.typingUsers(this.active));
    this.renderComposerState();
    this.renderUnread();
  }

  renderOpenState() {
    const { panel, launcher, root } = this.els;
    panel.hidden = !this.isOpen;
    root.classList.toggle('is-open', this.isOpen);
    if (launcher) {
      launcher.setAttribute('aria-expanded', String(this.isOpen));
      this.renderLauncherLabel();
    }
  }

  renderLauncherLabel() {
    const { launcher } = this.els;
    if (!launcher) return;
    const total = this.unread;
    const label = this.isOpen ? this.t('closeChat') : total ? this.t('launcherUnread', { count: total }) : this.t('openChat');
    launcher.setAttribute('aria-label', label);
    launcher.title = label;
  }

  renderHeader() {
    const room = this.rooms.get(this.active);
    this.presence.show(room, this.client.presence(this.active), this.client.isJoined(this.active), this.user);
  }

  renderTabs() {
    this.roomList.render(Array.from(this.rooms.values()), this.active, this.list.scroller);
  }

  renderStatus() {
    this.statusLine.show(this.status, this.welcomedOnce);
  }

  renderMessages() {
    const room = this.rooms.get(this.active);
    this.composer.setRoomLabel(room.label);
    this.list.showRoom(room, this.client.pending(room.name), this.user, this.status === 'online');
    this.renderEmpty();
  }

  renderPending() {
    const room = this.rooms.get(this.active);
    this.list.showPending(room, this.client.pending(room.name), this.user, this.status === 'online');
    this.renderEmpty();
  }

  renderEmpty() {
    const room = this.rooms.get(this.active);
    this.list.showEmpty(room, this.client.isJoined(room.name), this.client.pending(room.name).length);
  }

  renderComposerState() {
    this.composer.setDisabled(this.status === 'stopped' || this.status === 'signed-out');
  }

  renderUnread() {
    const total = this.unread;
    if (this.els.badge) {
      this.els.badge.hidden = total === 0 || this.isOpen;
      this.els.badge.textContent = total > 99 ? '99+' : String(total);
    }
    this.renderLauncherLabel();
    this.renderTabs();
    const rooms = {};
    for (const room of this.rooms.values()) rooms[room.name] = room.unread;
    const before = this.lastUnreadRooms || {};
    if (total !== this.lastUnreadTotal || Object.keys(rooms).some((name) => rooms[name] !== (before[name] || 0))) {
      this.lastUnreadTotal = total;
      this.lastUnreadRooms = rooms;
      this.events.emit('unread', { total, rooms });
    }
  }
}

/** Keeps a room's drawn entries to the last 500; true when some were dropped (the list is then redrawn). */
function trim(room) {
  if (room.entries.length <= RETAINED_PER_ROOM) return false;
  room.entries.splice(0, room.entries.length - RETAINED_PER_ROOM);
  return true;
}
