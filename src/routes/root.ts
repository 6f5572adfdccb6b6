import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { JWT_STRATEGY } from '../plugins/auth';
import { swaggerDocs } from './schemas';

export const rootRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'health'],
            description: 'Says hello to a signed-in caller (checks a token)',
            plugins: swaggerDocs({ jwt: true }),
            response: { schema: Joi.string().valid('hello hapi').label('Greeting') },
            handler: () => 'hello hapi',
        },
    },
];
