import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { JWT_STRATEGY, SWAGGER_JWT } from '../plugins/auth';

export const rootRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/',
        options: {
            auth: JWT_STRATEGY,
            tags: ['api', 'health'],
            description: 'Says hello to a signed-in caller (checks a token)',
            plugins: SWAGGER_JWT,
            response: { schema: Joi.string().valid('hello hapi') },
            handler: () => 'hello hapi',
        },
    },
];
