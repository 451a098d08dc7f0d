import { displayName, h, richText } from './dom.js';

const NEAR_BOTTOM_PX = 48;

/**
 * The message list of the shown room: the log of messages and notices (a live region), the user's unsent
 * messages under it (not live), the empty state and the "new messages" button. It keeps a reader who is at
 * the bottom there, and otherwise offers the jump instead of yanking the view.
 */
export class MessageList {
  constructor({ t, locale, uid, onDismiss, onJump }) {
    this.t = t;
    this.onDismiss = onDismiss;
    this.timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    this.fullDateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' });
    this.log = h('ol', { class: 'log', id: uid + '-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', part: 'messages' });
    this.outbox = h('ol', { class: 'outbox', 'aria-live': 'off' });
    this.empty = h('p', { class: 'empty' });
    this.scroller = h('div', {
      class: 'scroller', tabindex: '0', id: uid + '-panel',
      onscroll: () => {
        this.stuckToBottom = this.isNearBottom();
        if (this.stuckToBottom) this.jump.hidden = true;
      },
    }, this.empty, this.log, this.outbox);
    this.jump = h('button', { type: 'button', class: 'jump', hidden: true, text: t('jumpToLatest'), onclick: () => {
      this.scrollToBottom();
      onJump();
    } });
    this.element = h('div', { class: 'body' }, this.scroller, this.jump);
    // A reader at the bottom stays there when the list's box changes (people list, keyboard, resize).
    this.stuckToBottom = true;
    if (typeof ResizeObserver === 'function') {
      this.resizeObserver = new ResizeObserver(() => {
        if (this.stuckToBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
      });
      this.resizeObserver.observe(this.scroller);
    }
  }

  /**
   * Draws a room from scratch: `entries` (messages and notices) in one go with `aria-busy`, so a screen
   * reader does not read fifty old messages out, then its `pending` messages.
   */
  showRoom(room, pending, me, online) {
    const label = this.t('messagesLabel', { room: room.label });
    this.log.setAttribute('aria-label', label);
    this.scroller.setAttribute('aria-label', label);
    this.log.setAttribute('aria-busy', 'true');
    try {
      this.log.replaceChildren(...room.entries.map((entry) => this.item(entry)));
    } finally {
      this.log.removeAttribute('aria-busy');
    }
    this.showPending(room, pending, me, online);
    this.scrollToBottom();
  }

  /** Appends one new entry (announced by the live region). */
  append(entry, room, joined) {
    const stick = this.stuckToBottom || entry.own;
    this.log.append(this.item(entry));
    this.showEmpty(room, joined, 0);
    if (stick) this.scrollToBottom();
    else this.jump.hidden = false;
  }

  /** Redraws the unsent messages of the shown room (`pending`: the client's view of its outbox). */
  showPending(room, pending, me, online) {
    this.outbox.replaceChildren(...pending.map((p) => this.item({ text: p.text, ts: p.ts, user: me, own: true, kind: 'user' }, p, room, online)));
  }

  showEmpty(room, joined, pendingCount) {
    if (room.forbidden) {
      this.empty.textContent = this.t('roomForbidden');
      this.empty.hidden = false;
    } else {
      this.empty.textContent = this.t('empty');
      this.empty.hidden = !joined || room.entries.length > 0 || pendingCount > 0;
    }
  }

  /** One list item. Every piece of server or user text goes in as a text node. */
  item(entry, pending, room, online) {
    if (entry.notice) return h('li', { class: 'msg notice' }, h('div', { class: 'bubble', text: entry.notice }));
    const system = entry.kind === 'system';
    const classes = ['msg', system ? 'system' : entry.own ? 'own' : 'other'];
    if (pending) classes.push('pending');
    if (pending && pending.state === 'failed') classes.push('failed');
    const author = system ? this.t('systemAuthor') : entry.own ? this.t('you') : displayName(entry.user, this.t('someone'));
    const date = new Date(entry.ts);
    const time = h('time', { datetime: date.toISOString(), title: this.fullDateFormat.format(date), text: this.formatTime(date) });
    const item = h('li', { class: classes.join(' '), 'data-id': entry.id || null, 'data-ref': pending ? pending.ref : null },
      h('div', { class: 'meta' }, h('span', { class: 'author', text: author }), time),
      h('div', { class: 'bubble' }, system ? entry.text : richText(entry.text)));
    if (system) item.prepend(h('span', { class: 'sr-only', text: author + ': ' }));
    if (pending) item.append(this.pendingState(pending, room, online));
    return item;
  }

  pendingState(pending, room, online) {
    const state = h('div', { class: 'state' });
    if (pending.state === 'failed') {
      const reason = pending.code === 'too_large' ? this.t('errorTooLarge')
        : pending.code === 'forbidden' ? this.t('errorForbidden') : this.t('errorInvalid');
      state.append(
        h('span', { text: this.t('failed', { reason }) }),
        h('button', { type: 'button', text: this.t('dismiss'), onclick: () => this.onDismiss(room.name, pending.ref) }),
      );
    } else {
      state.append(h('span', { text: online && pending.state === 'sending' ? this.t('pendingSending') : this.t('pendingWaiting') }));
    }
    return state;
  }

  formatTime(date) {
    const now = new Date();
    const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
    return sameDay ? this.timeFormat.format(date) : this.dateTimeFormat.format(date);
  }

  isNearBottom() {
    const { scroller } = this;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.stuckToBottom = true;
    this.jump.hidden = true;
  }

  destroy() {
    if (this.resizeObserver) this.resizeObserver.disconnect();
  }
}
