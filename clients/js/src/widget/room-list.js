import { h } from './dom.js';

/**
 * The rooms as an ARIA tab list (shown only with more than one room): ←/→, Home and End move between rooms,
 * only the selected tab is in the Tab order, and each tab carries its unread count. Tabs are built once per
 * set of rooms and then updated in place, so keyboard focus survives.
 */
export class RoomList {
  constructor({ t, uid, panelId, onSelect }) {
    this.t = t;
    this.uid = uid;
    this.panelId = panelId;
    this.onSelect = onSelect;
    this.buttons = new Map();
    this.element = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('roomsLabel'), onkeydown: (e) => this.onKey(e) });
  }

  /** `rooms`: the widget's rooms in order ({name, label, unread}); `scroller` becomes the tab panel. */
  render(rooms, active, scroller) {
    const names = rooms.map((room) => room.name);
    if (this.buttons.size !== names.length || names.some((name) => !this.buttons.has(name))) {
      this.buttons = new Map(rooms.map((room, index) => [room.name, this.tab(room, index)]));
      this.element.replaceChildren(...this.buttons.values());
    }
    const multiple = names.length > 1;
    this.element.hidden = !multiple;
    for (const room of rooms) {
      const tab = this.buttons.get(room.name);
      const selected = room.name === active;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const count = tab.querySelector('.tab-count');
      count.hidden = !room.unread;
      count.textContent = room.unread > 99 ? '99+' : String(room.unread);
      tab.querySelector('.sr-only').textContent = room.unread ? ', ' + this.t('tabUnread', { count: room.unread }) : '';
      if (selected && multiple) {
        scroller.setAttribute('role', 'tabpanel');
        scroller.setAttribute('aria-labelledby', tab.id);
      }
    }
    if (!multiple) {
      scroller.removeAttribute('role');
      scroller.removeAttribute('aria-labelledby');
    }
  }

  tab(room, index) {
    return h('button', {
      type: 'button', class: 'tab', role: 'tab', id: this.uid + '-tab-' + index, 'data-room': room.name, title: room.name,
      'aria-controls': this.panelId, onclick: () => this.onSelect(room.name),
    }, room.label, h('span', { class: 'sr-only' }), h('span', { class: 'tab-count', 'aria-hidden': 'true', hidden: true }));
  }

  onKey(event) {
    const names = Array.from(this.buttons.keys());
    const selected = this.element.querySelector('[aria-selected="true"]');
    const index = selected ? names.indexOf(selected.dataset.room) : 0;
    // In a right-to-left layout the arrows follow what the reader sees.
    const rtl = getComputedStyle(this.element).direction === 'rtl';
    const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
    const backward = rtl ? 'ArrowRight' : 'ArrowLeft';
    let next = null;
    if (event.key === forward) next = names[(index + 1) % names.length];
    else if (event.key === backward) next = names[(index - 1 + names.length) % names.length];
    else if (event.key === 'Home') next = names[0];
    else if (event.key === 'End') next = names[names.length - 1];
    if (next == null) return;
    event.preventDefault();
    this.onSelect(next);
    const tab = this.element.querySelector('[aria-selected="true"]');
    if (tab) tab.focus();
  }
}
