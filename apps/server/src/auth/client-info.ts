import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from './auth-service';

/** What a request says about the device making it, for the sessions list. */
export const clientOf = (request: FastifyRequest): ClientInfo => ({ userAgent: request.headers['user-agent'] });
