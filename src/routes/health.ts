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
                    200: Joi.object({
                        status: Joi.valid('ok').label('ServiceUp').description('the API answers'),
                        db: Joi.valid('ok').label('DatabaseUp').description('the database answers'),
                    }).label('Healthy'),
                    503: Joi.object({
                        status: Joi.valid('unavailable').label('ServiceDown').description('the API cannot serve'),
                        db: Joi.valid('down').label('DatabaseDown').description('the database does not answer'),
                    }).label('Unhealthy'),
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
