import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { nonceStr } from '../../wechat/nonce';
import { cashierPage, cashierPolicy, type CashierParams } from '../cashier-page';
import { prepayIdOf } from '../payment';
import type { Simulator } from '../simulator';
import { failWithDetail } from './validation';

const text = Joi.string().max(128).required();

/** A browser stand-in for WeChat's cashier sheet, opened with wx.requestPayment's parameters. */
export function cashierRoutes(simulator: Simulator): ServerRoute[] {
    return [{
        method: 'GET',
        path: '/simulator/cashier',
        options: {
            validate: {
                query: Joi.object({ appId: Joi.string().max(32), timeStamp: text, nonceStr: text, package: text, signType: text, paySign: text }),
                failAction: failWithDetail,
            },
        },
        handler: (request, h) => {
            const params = request.query as CashierParams;
            const prepayId = prepayIdOf(params.package);
            const order = prepayId === undefined ? undefined : simulator.orders.findPrepay(prepayId)?.order;
            const scriptNonce = nonceStr();
            return h.response(cashierPage(params, order, scriptNonce))
                .type('text/html')
                .code(order === undefined ? 404 : 200)
                .header('Content-Security-Policy', cashierPolicy(scriptNonce));
        },
    }];
}
