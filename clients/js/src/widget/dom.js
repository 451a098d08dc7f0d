/**
 * DOM building blocks. Nothing here parses markup: every string becomes a text node or an attribute, so
 * data from the network can never become HTML.
 */

/** Builds an element. Strings in `children` become text nodes; `on…` props become listeners. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value == null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children) if (child != null && child !== false) el.append(child);
  return el;
}

/** A static SVG icon, built node by node. */
export function icon(pathData) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', pathData);
  svg.append(path);
  return svg;
}

export const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
export const ICON_CLOSE = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z';
export const ICON_SEND = 'M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z';

/** Styles for a shadow root: a constructable stylesheet, which a page's CSP does not count as inline style. */
export function adoptStyles(shadow, cssText) {
  if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(cssText);
      shadow.adoptedStyleSheets = [sheet];
      return;
    } catch (e) { /* older engine: fall back to a <style> element */ }
  }
  shadow.append(h('style', { text: cssText }));
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/g;

/** Text with http(s) links made clickable, built from text nodes and anchors only. */
export function richText(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    let raw = match[0];
    const trailing = raw.match(/[.,;:!?)\]]+$/);
    if (trailing) raw = raw.slice(0, -trailing[0].length);
    let href = null;
    try {
      const url = new URL(raw);
      if (url.protocol === 'http:' || url.protocol === 'https:') href = url.href;
    } catch (e) { /* not a URL after all */ }
    if (!href) continue;
    fragment.append(text.slice(last, match.index));
    fragment.append(h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow ugc', text: raw }));
    last = match.index + raw.length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

/** A user's name for display: the name, else the id, else `fallback`. */
export function displayName(user, fallback) {
  if (!user) return fallback;
  return typeof user.name === 'string' && user.name.trim() ? user.name : user.id || fallback;
}
