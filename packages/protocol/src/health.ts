import { z } from 'zod';

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ReadinessSchema = z
  .object({
    status: z
      .enum(['ok', 'degraded'])
      .describe(
        '`degraded`: Redis is down. The node serves its own sockets; other nodes hear its events once Redis is back',
      ),
    checks: z.object({
      database: z.literal('ok'),
      redis: z.enum(['ok', 'down']).optional().describe('Only when clustered (REDIS_URL is set)'),
    }),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof ReadinessSchema>;
