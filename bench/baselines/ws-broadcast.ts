/**
 * The ceiling: the least a JSON chat relay on `ws` can do. No auth, no validation, no database.
 * A `send` is acked and its JSON built once for all room members. With REDIS_URL set, sends go
 * through one Redis channel, so two processes act as one (the ceiling for the cluster scenario).
 * Any HTTP GET gets one constant page of 50 messages: the ceiling for the REST scenario.
 *
 *   PORT=0 [REDIS_URL=redis://…] tsx bench/baselines/ws-broadcast.ts   → prints "listening on <port>"
 */
import http from 'node:http';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const page = JSON.stringify({
  items: Array.from({ length: 50 }, (_, i) => ({ seq: i + 1, body: `Message ${i + 1}: `.padEnd(100, 'lorem ipsum ') })),
});
const server = http.createServer((_request, response) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end(page),
);
const wss = new WebSocketServer({ server, perMessageDeflate: false });

function broadcast(room: string, frame: string) {
  for (const member of rooms.get(room) ?? []) member.send(frame);
}

const CHANNEL = 'ceiling';
const redisUrl = process.env.REDIS_URL;
const publisher = redisUrl ? new Redis(redisUrl) : undefined;
if (redisUrl) {
  const subscriber = new Redis(redisUrl);
  await subscriber.subscribe(CHANNEL);
  subscriber.on('message', (_channel, text: string) => {
    const { room, frame } = JSON.parse(text) as { room: string; frame: string };
    broadcast(room, frame);
  });
}

wss.on('connection', (ws) => {
  const joined = new Set<string>();
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'join') {
      joined.add(frame.room);
      rooms.set(frame.room, (rooms.get(frame.room) ?? new Set()).add(ws));
      ws.send(JSON.stringify({ type: 'joined', room: frame.room }));
    } else if (frame.type === 'send') {
      ws.send(JSON.stringify({ type: 'ack', clientMsgId: frame.clientMsgId }));
      const out = JSON.stringify({ type: 'message', room: frame.room, body: frame.body });
      if (publisher) void publisher.publish(CHANNEL, JSON.stringify({ room: frame.room, frame: out }));
      else broadcast(frame.room, out);
    }
  });
  ws.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(ws);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening on ${(server.address() as { port: number }).port}`),
);
