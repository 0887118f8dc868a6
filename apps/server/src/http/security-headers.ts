import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: this route sets its own security headers (the chat widget, which other sites frame). */
    securityHeaders?: false;
  }
}

/**
 * Helmet's security headers on every response, worked out once at start. @fastify/helmet built
 * helmet's middleware again for each request (parsing the CSP each time): 4–5 % of the CPU of a
 * message-history request. The headers depend on the options only, so they are computed once by
 * running the middleware against a recorder, and each reply gets a copy.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => undefined,
  };
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.securityHeaders !== false) reply.headers(headers);
  });
}
