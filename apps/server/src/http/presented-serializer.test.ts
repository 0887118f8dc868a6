import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { presentedSerializer } from './presented-serializer';

const Message = z.object({ id: z.string().regex(/^m\d+$/), body: z.string(), editedAt: z.string().nullable() });
const route = { schema: Message, method: 'GET', url: '/messages/:id', httpStatus: '200' } as never;

describe('the serializer of presented answers', () => {
  const verified = presentedSerializer(true)(route);
  const trusted = presentedSerializer(false)(route);

  it('writes an answer that is exactly its schema as JSON, in tests and in production', () => {
    const message = { id: 'm1', body: 'hi', editedAt: null };
    expect(JSON.parse(verified(message))).toEqual(message);
    expect(JSON.parse(trusted(message))).toEqual(message);
  });

  it('fails a request in tests whose presenter added a field the schema lacks, instead of letting it out', () => {
    expect(() => verified({ id: 'm1', body: 'hi', editedAt: null, passwordHash: 'x' })).toThrow(
      'GET /messages/:id: the answer is not exactly its response schema',
    );
  });

  it('fails a request in tests whose value the schema refuses', () => {
    expect(() => verified({ id: 'not-an-id', body: 'hi', editedAt: null })).toThrow();
    expect(() => verified({ id: 'm1', body: 'hi' })).toThrow();
  });
});
