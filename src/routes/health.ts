import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

export const healthRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/health',
        options: {
            auth: false,
            tags: ['api', 'health'],
            description: 'Liveness and database check: 200 when the database accepts writes, 503 when it does not',
            notes: 'db is "down" when the database refuses or fails the check (unreachable, read-only, I/O error, disk full), '
                + '"busy" when it is up but no connection is free in time (every pooled connection in use, or SQLite\'s write lock held).',
            response: {
                status: {
                    200: Joi.object({
                        status: Joi.valid('ok').label('ServiceUp').description('the API answers'),
                        db: Joi.valid('ok').label('DatabaseUp').description('the database answers'),
                    }).label('Healthy'),
                    503: Joi.object({
                        status: Joi.valid('unavailable').label('ServiceDown').description('the API cannot serve'),
                        db: Joi.valid('down', 'busy').required().label('DatabaseDown').description('down: the database does not answer; busy: every pooled connection is in use'),
                    }).label('Unhealthy'),
                },
            },
            handler: async (request, h) => {
                const db = await request.services().health.database();
                return db === 'ok' ? { status: 'ok', db } : h.response({ status: 'unavailable', db }).code(503);
            },
        },
    },
];
