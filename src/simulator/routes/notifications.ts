import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import type { Simulator } from '../simulator';
import { failWithDetail, JSON_PAYLOAD } from './validation';

const outTradeNo = Joi.string().max(32);

/** What the simulator has posted to notify_url, attempt by attempt; and a manual resend. */
export function notificationRoutes(simulator: Simulator): ServerRoute[] {
    return [
        {
            method: 'GET',
            path: '/simulator/notifications',
            options: { validate: { query: Joi.object({ out_trade_no: outTradeNo }), failAction: failWithDetail } },
            handler: (request) => simulator.notifier.list((request.query as { out_trade_no?: string }).out_trade_no),
        },
        {
            method: 'POST',
            path: '/simulator/notifications/resend',
            options: {
                payload: JSON_PAYLOAD,
                validate: { payload: Joi.object({ out_trade_no: outTradeNo.required() }), failAction: failWithDetail },
            },
            handler: async (request) => {
                const { out_trade_no } = request.payload as { out_trade_no: string };
                const attempt = await simulator.notifier.resend(out_trade_no);
                if (attempt === undefined) {
                    throw Boom.notFound(`no notification for out_trade_no ${out_trade_no}`);
                }
                return attempt;
            },
        },
    ];
}
