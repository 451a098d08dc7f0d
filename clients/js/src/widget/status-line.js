import { h } from './dom.js';

/** The connection status line (`role="status"`): hidden while online, with "Retry now" while reconnecting. */
export class StatusLine {
  constructor({ t, onRetry }) {
    this.t = t;
    this.text = h('span', { class: 'status-text' });
    this.retry = h('button', { type: 'button', text: t('retryNow'), onclick: onRetry });
    this.element = h('div', { class: 'status', role: 'status', part: 'status' }, this.text, this.retry);
  }

  /** `welcomedBefore`: a connection worked earlier, so "connecting" now means "reconnecting". */
  show(state, welcomedBefore) {
    const texts = {
      idle: this.t('statusConnecting'),
      connecting: welcomedBefore ? this.t('statusOffline') : this.t('statusConnecting'),
      offline: this.t('statusOffline'),
      stopped: this.t('statusStopped'),
      'signed-out': this.t('statusSignedOut'),
    };
    const text = texts[state];
    this.element.hidden = text == null;
    this.element.dataset.state = state;
    this.text.textContent = text || '';
    this.retry.hidden = state !== 'offline';
  }
}
