import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

export const healthRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/health',
        options: {
            auth: false,
            tags: ['api', 'health'],
            description: 'Liveness and database check: 200 when the database answers, 503 when it does not',
            response: {
                status: {
                    200: Joi.object({ status: 'ok', db: 'ok' }).label('Healthy'),
                    503: Joi.object({ status: 'unavailable', db: 'down' }).label('Unhealthy'),
                },
            },
            handler: async (request, h) => {
                if (await request.server.app.services.health.databaseAnswers()) {
                    return { status: 'ok', db: 'ok' };
                }
                return h.response({ status: 'unavailable', db: 'down' }).code(503);
            },
        },
    },
];
