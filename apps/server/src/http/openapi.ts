import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import packageJson from '../../package.json' with { type: 'json' };

/** OpenAPI 3.1 generated from the routes' zod schemas: `/openapi.json`, browsable at `/docs`. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  // Each named schema appears as `XInput` (request: unknown keys allowed, and stripped) and `X`
  // (response: exactly these keys). They differ on purpose; don't merge them.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley API',
        version: packageJson.version,
        description:
          'REST API of Parley, real-time chat and support tickets. Errors always have the shape ' +
          '`{"error":{"code","message","details?"}}`; `code` is stable. Realtime: `GET /ws`.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // staticCSP: the docs page gets its own CSP with the hashes of its inline code, instead of
  // helmet's stricter default, which would leave it blank.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
