import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApiDocument, OPENAPI_FILE } from './openapi-document';

describe('the OpenAPI document', () => {
  it('matches the committed docs/openapi.json (run `npm run openapi` after changing a route)', async () => {
    const generated = await generateOpenApiDocument();
    expect(generated === fs.readFileSync(OPENAPI_FILE, 'utf8'), 'docs/openapi.json is stale: run npm run openapi').toBe(
      true,
    );
  });

  it('documents request and response shapes from the protocol, errors included', async () => {
    const doc = JSON.parse(await generateOpenApiDocument());
    const register = doc.paths['/auth/register'].post;
    expect(register.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/RegisterBodyInput',
    });
    expect(Object.keys(register.responses).sort()).toEqual(['201', '400', '409']);
    expect(register.responses['409'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error409',
    });
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('validation_failed');
    expect(doc.components.schemas.Error409.examples).toEqual([
      { error: { code: 'conflict', message: expect.any(String) } },
    ]);
    expect(doc.paths['/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.Me.required).toEqual(expect.arrayContaining(['id', 'email', 'role', 'createdAt']));
  });
});
