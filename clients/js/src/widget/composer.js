import { h, icon, ICON_SEND } from './dom.js';

/**
 * The message composer: a labelled textarea that grows with its text, a send button and a character counter
 * near the limit. Enter sends (IME composition is respected), Shift+Enter adds a line. It reports typing and
 * submissions to the widget, which owns the rest.
 */
export class Composer {
  constructor({ t, uid, maxLength, onSubmit, onTyping }) {
    this.t = t;
    this.maxLength = maxLength;
    this.onSubmit = onSubmit;
    this.onTyping = onTyping;
    const id = uid + '-input';
    this.label = h('label', { class: 'sr-only', for: id });
    const hint = h('span', { class: 'sr-only', id: uid + '-hint', text: t('composerHint') });
    this.input = h('textarea', {
      class: 'input', id, rows: '1', part: 'input', maxlength: String(maxLength),
      placeholder: t('composerPlaceholder'), 'aria-describedby': uid + '-hint', enterkeyhint: 'send',
      onkeydown: (e) => this.onKey(e),
      oninput: () => this.onInput(),
    });
    this.send = h('button', { type: 'submit', class: 'send', part: 'send', 'aria-label': t('send'), title: t('send') }, icon(ICON_SEND));
    this.counter = h('div', { class: 'counter', 'aria-live': 'polite', hidden: true });
    this.form = h('form', {
      class: 'composer', part: 'composer',
      onsubmit: (e) => {
        e.preventDefault();
        this.submit();
      },
    }, this.label, hint, this.input, this.send);
  }

  setRoomLabel(label) {
    this.label.textContent = this.t('composerLabel', { room: label });
  }

  /** The server's text limit arrived (`welcome.limits`): the composer never allows more. */
  setMaxLength(maxLength) {
    this.maxLength = maxLength;
    this.input.maxLength = maxLength;
    this.onInput(false);
  }

  setDisabled(disabled) {
    this.input.disabled = disabled;
    this.send.disabled = disabled;
  }

  focus() {
    this.input.focus();
  }

  onKey(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.submit();
    }
  }

  onInput(typed = true) {
    const { input, counter } = this;
    // Grow with the text up to the CSS max-height; inline style via CSSOM is allowed under a CSP.
    input.style.height = 'auto';
    input.style.height = input.scrollHeight + 'px';
    const left = this.maxLength - input.value.length;
    counter.hidden = left > 200;
    counter.textContent = this.t('charsLeft', { count: Math.max(0, left) });
    if (typed) this.onTyping(input.value.trim() !== '');
  }

  submit() {
    if (this.input.disabled) return;
    if (!this.onSubmit(this.input.value)) return;
    this.input.value = '';
    this.onInput(false);
    this.input.focus();
  }
}
