import type { Plugin } from '@hapi/hapi';
import Inert from '@hapi/inert';
import Vision from '@hapi/vision';
import HapiSwagger from 'hapi-swagger';

import { version } from '../../package.json';

export const swaggerPlugin: Plugin<void> = {
    name: 'app-swagger',
    async register(server) {
        await server.register([
            Inert,
            Vision,
            {
                plugin: HapiSwagger,
                options: {
                    info: {
                        title: 'WeChat mini-program shop API',
                        version,
                        description: 'Shops, goods, wx.login, orders and WeChat Pay. Amounts are integer fen. '
                            + 'Get a token from POST /users/wxLogin (or POST /users/createJWT in development), '
                            + 'then press Authorize and enter the word Bearer, a space, and the token.',
                    },
                    documentationPath: '/documentation',
                    jsonPath: '/swagger.json',
                    grouping: 'tags',
                    sortEndpoints: 'ordered',
                    securityDefinitions: {
                        jwt: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer, a space, and the token from /users/wxLogin' },
                    },
                },
            },
        ]);
    },
};
