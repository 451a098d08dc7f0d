/** Listeners by event name. A listener that throws is reported on the console and never disturbs the others. */
export class Emitter {
  #listeners = new Map();

  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('on(event, fn) needs a function');
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    const set = this.#listeners.get(event);
    if (set) set.delete(fn);
  }

  emit(event, payload) {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const fn of Array.from(set)) {
      try {
        fn(payload);
      } catch (error) {
        console.error('[parley] event handler failed', error);
      }
    }
  }

  clear() {
    this.#listeners.clear();
  }
}
