import { displayName, h } from './dom.js';

/**
 * Who is here, for the shown room: the "n online" toggle in the header, the member list it opens (a region;
 * in a large room only the count is known), and the "… is typing" line (not a live region).
 */
export class PresenceView {
  constructor({ t, uid }) {
    this.t = t;
    this.open = false;
    this.toggle = h('button', {
      type: 'button', class: 'people-toggle', part: 'people-toggle', 'aria-expanded': 'false', 'aria-controls': uid + '-people',
      onclick: () => {
        this.open = !this.open;
        this.renderList();
      },
    });
    this.title = h('h3', { class: 'people-title', id: uid + '-people-title' });
    this.list = h('ul', { class: 'people-list' });
    this.note = h('p', { class: 'people-note', text: t('peopleTooMany') });
    this.people = h('div', {
      class: 'people', id: uid + '-people', role: 'region', 'aria-labelledby': uid + '-people-title', hidden: true,
    }, this.title, this.list, this.note);
    this.typing = h('div', { class: 'typing', 'aria-live': 'off' });
    this.room = null;
    this.presence = { members: [], count: 0 };
    this.me = null;
  }

  /** Shows `room` ({name, label}) with its presence ({members|null, count}); `joined` false hides the count. */
  show(room, presence, joined, me) {
    this.room = room;
    this.presence = presence;
    this.me = me;
    const label = this.t('online', { count: presence.count });
    this.toggle.textContent = label;
    this.toggle.setAttribute('aria-label', label + '. ' + this.t('peopleShow'));
    this.toggle.hidden = !joined;
    this.renderList();
  }

  close() {
    this.open = false;
    this.renderList();
  }

  renderList() {
    const { people, toggle, title, list, note, room, presence } = this;
    people.hidden = !this.open || !room;
    toggle.setAttribute('aria-expanded', String(this.open));
    if (!room || !this.open) return;
    title.textContent = this.t('peopleLabel', { room: room.label });
    const large = presence.members == null;
    note.hidden = !large;
    if (large) {
      list.replaceChildren();
      return;
    }
    const members = presence.members.slice().sort((a, b) => displayName(a, '').localeCompare(displayName(b, '')));
    list.replaceChildren(...members.map((user) => {
      const name = displayName(user, this.t('someone'));
      const isMe = this.me && user.id === this.me.id;
      return h('li', { 'data-user': user.id }, isMe ? this.t('peopleYou', { name }) : name);
    }));
  }

  /** The typing line for the users typing in the shown room. */
  showTyping(users) {
    const names = users.map((user) => displayName(user, this.t('someone')));
    let text = '';
    if (names.length === 1) text = this.t('typingOne', { name: names[0] });
    else if (names.length === 2) text = this.t('typingTwo', { first: names[0], second: names[1] });
    else if (names.length > 2) text = this.t('typingMany');
    this.typing.textContent = text;
  }
}
