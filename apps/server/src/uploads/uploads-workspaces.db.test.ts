import type { Attachment, Session, Ticket } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp, joinWorkspace } from '../testing/test-app';
import { multipart } from '../testing/multipart';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, openTicket, setUpTwoDesks } from '../testing/test-desk';

/** Incompressible noise, so the PNG is big (about 30 kB): for the quota. */
const noisePng = (width: number, height: number) =>
  sharp(Buffer.from(Array.from({ length: width * height * 3 }, () => Math.floor(Math.random() * 256))), {
    raw: { width, height, channels: 3 },
  })
    .png()
    .toBuffer();

/**
 * Attachments belong to the workspace of their conversation: from another workspace their ids
 * are unknown, even to their uploader signed in there, and each workspace has its own quota.
 */
describe(`uploads across workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;
  let ticketInA: Ticket;
  let image: Buffer;
  /** Carla's upload to her ticket in A, not sent yet. */
  let uploadInA: Attachment;
  let carlaAtAcme: Session;

  beforeAll(async () => {
    t = await startTestApp({ env: { UPLOAD_QUOTA_BYTES: '40000', ATTACHMENT_LIMIT_BYTES: '40000' } });
    ({ a, b } = await setUpTwoDesks(t));
    ticketInA = await openTicket(t, a.carla, { teamId: a.support });
    image = await noisePng(100, 100);
    expect(image.length).toBeGreaterThan(20000);
    const response = await attach(a.carla, ticketInA.conversationId);
    expect(response.statusCode).toBe(201);
    uploadInA = response.json<Attachment>();
    carlaAtAcme = await joinWorkspace(t, a.carla, 'acme', 'customer');
  });
  afterAll(() => t.close());

  function attach(who: Session, conversationId: string) {
    const body = multipart({ fileName: 'noise.png', contentType: 'image/png', content: image });
    return t.app.inject({
      method: 'POST',
      url: `/conversations/${conversationId}/attachments`,
      headers: { ...bearer(who), 'content-type': body.contentType },
      payload: body.payload,
    });
  }

  it("answers 404 on A's attachments and conversations for every route, from a token of B", async () => {
    expect((await as(t, a.carla).get(uploadInA.url)).statusCode).toBe(200);
    for (const who of [b.admin, b.sam, b.carla, carlaAtAcme]) {
      expect((await as(t, who).get(uploadInA.url)).statusCode).toBe(404);
      expect((await as(t, who).get(uploadInA.thumbnailUrl!)).statusCode).toBe(404);
      expect((await attach(who, ticketInA.conversationId)).statusCode).toBe(404);
    }
  });

  it("does not let a message in B carry A's upload", async () => {
    const ticketInB = await openTicket(t, carlaAtAcme, { teamId: b.support });
    const sent = await as(t, carlaAtAcme).post(`/conversations/${ticketInB.conversationId}/messages`, {
      clientMsgId: 'carried-over',
      body: 'See attached',
      attachmentIds: [uploadInA.id],
    });
    expect(sent.statusCode).toBe(400);
  });

  it('counts the quota per workspace: uploads in A leave the whole quota in B', async () => {
    // The ~30 kB upload in A leaves no room there for another under the 40 kB quota...
    const full = await attach(a.carla, ticketInA.conversationId);
    expect([full.statusCode, full.json().error.details.reason]).toEqual([413, 'quota_exceeded']);
    // ...and all of it in Acme.
    const ticketInB = await openTicket(t, carlaAtAcme, { teamId: b.support });
    const response = await attach(carlaAtAcme, ticketInB.conversationId);
    expect(response.statusCode).toBe(201);
    expect(response.json<Attachment>().conversationId).toBe(ticketInB.conversationId);
  });
});
