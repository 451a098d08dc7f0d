// A usage example compiled by `npm run typecheck` (tsc --noEmit): it proves the declarations in types/ describe
// the API as documented. It resolves the package by its own name, through package.json "exports".
import { DEFAULT_LIMITS, ParleyClient, ParleyError, reconnectPlan, type Message, type PendingMessage } from '@parley/client';
import { mount, STRINGS, type WidgetInstance } from '@parley/client/widget';

const client = new ParleyClient({
  server: 'https://chat.example.com/',
  getToken: async () => (await fetch('/chat/token', { method: 'POST' }).then((r) => r.json())).token as string,
  reconnect: { baseMs: 500, maxMs: 20000 },
});
client.on('state', ({ state, code, retryIn }) => console.log(state, code ?? '', retryIn ?? ''));
client.on('welcome', ({ user, limits }) => console.log(user?.name, limits.text, limits.roomPattern));
client.on('joined', ({ room, history, complete }) => history.forEach((m: Message) => console.log(room, m.text, complete)));
client.on('message', ({ room, message, own }) => console.log(room, message.user?.name ?? 'system', message.text, own));
client.on('pending', ({ entries }) => entries.forEach((p: PendingMessage) => console.log(p.ref, p.state, p.code)));
const unsubscribe = client.on('typing', ({ users }) => console.log(users.map((u) => u.name).join(', ')));
unsubscribe();
client.connect().join('lobby');
try {
  const ref: string = client.send('lobby', 'Hello');
  client.dismiss('lobby', ref);
} catch (error) {
  if (error instanceof ParleyError) console.log(error.code, error.room);
}
client.typing('lobby');
client.typing('lobby', false);
const { members, count } = client.presence('lobby');
console.log(members?.length, count, client.messages('lobby').length, client.isJoined('lobby'), client.rooms, DEFAULT_LIMITS.text);
const plan = reconnectPlan(1012, 0);
if (!plan.stop) console.log(plan.delay, plan.newToken);
client.leave('lobby');
client.close();

const widget: WidgetInstance = mount('#support', { mode: 'inline', rooms: ['support:1'], locale: 'ar', tokenUrl: '/chat/token' });
widget.on('unread', ({ total }) => { document.title = `(${total})`; });
const ref: string | null = widget.send('Hi');
console.log(ref, widget.client.state, STRINGS.title, window.Parley?.version);
