/*
 * Demo host page behaviour. On a real site the signed-in user comes from the session cookie, and the
 * one script tag is all it takes. Here "who is signed in" comes from ?user=…, so this file mounts the
 * widget through the JS API and tells the development token endpoint which user to issue a token for.
 */
(() => {
  'use strict';

  const KNOWN = { ada: 'Ada', bob: 'Bob', grace: 'Grace' };
  const params = new URLSearchParams(window.location.search);
  const requested = params.get('user');
  const user = requested && /^[A-Za-z0-9_.-]{1,64}$/.test(requested) ? requested : 'ada';
  const name = params.get('name') || KNOWN[user] || user.charAt(0).toUpperCase() + user.slice(1);
  const baseTitle = document.title;

  document.getElementById('who').textContent = name;
  document.getElementById('hello').textContent = name;
  for (const link of document.querySelectorAll('.switch a')) {
    if (link.dataset.user === user) link.setAttribute('aria-current', 'page');
  }
  document.getElementById('search').addEventListener('submit', (event) => {
    event.preventDefault();
    document.getElementById('search-note').hidden = false;
  });

  const start = () => {
    // Token URL, rooms and title come from the script tag's data attributes.
    const chat = window.Parley.mount(null, {
      tokenBody: { user, name },
      open: params.get('open') === '1',
      locale: params.get('lang') || undefined, // ?lang=de or ?lang=ar (right to left) tries the built-in translations
    });
    // Host-page integration through events: unread count in the tab title, status on the page.
    chat.on('unread', ({ total }) => {
      document.title = (total ? '(' + total + ') ' : '') + baseTitle;
    });
    chat.on('status', ({ state }) => {
      document.getElementById('chat-status').textContent = state;
    });
    document.getElementById('open-chat').addEventListener('click', () => chat.open());
  };

  // The widget's tag is async: it may run before or after this deferred file.
  if (window.Parley) start();
  else document.addEventListener('parley:load', start, { once: true });
})();
