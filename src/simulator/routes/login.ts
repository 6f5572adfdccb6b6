import type { ServerRoute } from '@hapi/hapi';

import { faultResponse } from '../fault-response';
import { codeToSession } from '../login';
import type { Simulator } from '../simulator';

const SYSTEM_ERROR = { errcode: -1, errmsg: 'system error' };

/** WeChat's login server, at its own path. Errors are HTTP 200 with an errcode, as WeChat's are. */
export function loginRoutes(simulator: Simulator): ServerRoute[] {
    return [{
        method: 'GET',
        path: '/sns/jscode2session',
        handler: async (request, h) => {
            const genuine = () => codeToSession(simulator, request.query);
            const fault = simulator.faults.take('jscode2session');
            const faulted = fault && await faultResponse(fault, h, simulator.scheduler, {
                badsign: () => h.response(SYSTEM_ERROR),
                businessError: () => h.response(SYSTEM_ERROR),
                genuine,
            });
            return faulted ?? genuine();
        },
    }];
}
