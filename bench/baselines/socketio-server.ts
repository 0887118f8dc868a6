/**
 * The peer: a chat server as most Node apps build it. Socket.IO, a JWT checked once per
 * connection, each message inserted before it is emitted to the room, history by row id, and
 * with REDIS_URL `@socket.io/redis-adapter` so processes act as one. Same database as Parley
 * in the same run. No per-frame validation, authorization or idempotency: that is the gap the
 * ratio prices.
 *
 *   PORT=0 DATABASE_URL=… PEER_JWT_SECRET=… [REDIS_URL=…] tsx bench/baselines/socketio-server.ts
 */
import http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { MysqlAdapter, PostgresAdapter, type Generated, type Insertable, type Kysely } from 'kysely';
import { Server } from 'socket.io';
import { openDatabase } from '../../apps/server/src/db/connect';

interface PeerSchema {
  peerMessages: { id: Generated<number>; room: string; senderId: string; body: string; createdAt: number };
}

const database = await openDatabase(process.env.DATABASE_URL!);
const db = database.db as unknown as Kysely<PeerSchema>;
await createSchema();
const key = new TextEncoder().encode(process.env.PEER_JWT_SECRET);
const verify = async (token: unknown) => (await jwtVerify(String(token), key, { algorithms: ['HS256'] })).payload.sub!;

const server = http.createServer((request, response) => void history(request, response));
const io = new Server(server, { transports: ['websocket'], serveClient: false });
if (process.env.REDIS_URL) {
  const publisher = new Redis(process.env.REDIS_URL);
  io.adapter(createAdapter(publisher, publisher.duplicate()));
}

io.use((socket, next) => {
  verify(socket.handshake.auth.token).then(
    (userId) => ((socket.data.userId = userId), next()),
    () => next(new Error('unauthorized')),
  );
});

io.on('connection', (socket) => {
  socket.on('join', async ({ room, after }: { room: string; after: number }, ack: () => void) => {
    await socket.join(room);
    if (after > 0) {
      const missed = await db
        .selectFrom('peerMessages')
        .selectAll()
        .where('room', '=', room)
        .where('id', '>', after)
        .orderBy('id')
        .execute();
      for (const m of missed) socket.emit('message', { room, id: Number(m.id), body: m.body });
    }
    ack();
  });
  socket.on('send', async (m: { room: string; clientMsgId: string; body: string }, ack: (r: object) => void) => {
    try {
      const id = await insert({ room: m.room, senderId: socket.data.userId, body: m.body, createdAt: Date.now() });
      ack({ id });
      io.to(m.room).emit('message', { room: m.room, id, body: m.body });
    } catch (error) {
      ack({ error: (error as Error).message });
    }
  });
});

/** `GET /rooms/:room/messages`: the newest 50, for the REST scenario. */
async function history(request: http.IncomingMessage, response: http.ServerResponse) {
  const room = /^\/rooms\/([^/]+)\/messages/.exec(request.url ?? '')?.[1];
  try {
    await verify(request.headers.authorization?.replace(/^Bearer /, ''));
  } catch {
    return response.writeHead(401).end();
  }
  if (!room) return response.writeHead(404).end();
  const rows = await db
    .selectFrom('peerMessages')
    .selectAll()
    .where('room', '=', decodeURIComponent(room))
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages: rows }));
}

async function insert(row: Insertable<PeerSchema['peerMessages']>): Promise<number> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { id } = await db.insertInto('peerMessages').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(id);
  }
  return Number((await db.insertInto('peerMessages').values(row).executeTakeFirstOrThrow()).insertId);
}

async function createSchema() {
  const adapter = db.getExecutor().adapter;
  const idType =
    adapter instanceof PostgresAdapter ? 'bigserial' : adapter instanceof MysqlAdapter ? 'bigint' : 'integer';
  await db.schema
    .createTable('peerMessages')
    .ifNotExists()
    .addColumn('id', idType, (c) => {
      const key = c.primaryKey();
      return adapter instanceof PostgresAdapter ? key : key.autoIncrement();
    })
    .addColumn('room', 'varchar(64)', (c) => c.notNull())
    .addColumn('senderId', 'varchar(64)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('createdAt', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('peer_messages_room').ifNotExists().on('peerMessages').columns(['room', 'id']).execute();
}

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening on ${(server.address() as { port: number }).port}`),
);
