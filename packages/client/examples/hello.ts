import { createParleyClient } from '@parley/client';
import WebSocket from 'ws'; // Node 20 has no global WebSocket; browsers and React Native do

const parley = createParleyClient({ baseUrl: process.env.PARLEY_SERVER ?? 'http://127.0.0.1:3000', WebSocket });
await parley.auth.login({ login: 'carla', password: 'parley-demo' });
const ticket = await parley.tickets.create({ subject: 'Hello from the SDK', description: 'It works!' });
parley.realtime.on('message', ({ message }) => {
  console.log(`#${message.seq} ${message.body}`); // live, to every subscriber: the sender too
  void parley.logout();
});
parley.realtime.subscribe(ticket.conversationId, 0); // replay from the start, then live
await parley.connect();
await parley.outbox.send(ticket.conversationId, 'Sent through the outbox: stored, acked, never duplicated');
