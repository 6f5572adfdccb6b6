import type { Lifecycle, ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { SIGN_TYPES } from '../../wechat/sign';
import { PAY_OUTCOMES, requestPayment, type PayOutcome, type RequestPaymentParams } from '../payment';
import type { Simulator } from '../simulator';
import { JSON_PAYLOAD } from './validation';

// WeChat's client checks the signed fields and ignores the rest (the tenpay library, for one,
// adds a `timestamp` copy of timeStamp), so extra keys are dropped, not refused.
const params = Joi.object<RequestPaymentParams>({
    appId: Joi.string().max(32),
    // WeChat's client wants whole seconds as a string; a number or a fraction fails.
    timeStamp: Joi.string().pattern(/^\d{1,10}$/).required(),
    nonceStr: Joi.string().max(32).required(),
    package: Joi.string().pattern(/^prepay_id=[A-Za-z0-9]{1,64}$/).required(),
    signType: Joi.string().valid(...SIGN_TYPES).required(),
    paySign: Joi.string().max(64).required(),
}).options({ stripUnknown: true });

/** Refusals read like wx.requestPayment's fail callback. */
const failAsClient: Lifecycle.Method = (_request, h, error) =>
    h.response({ errMsg: `requestPayment:fail ${error?.message ?? 'invalid parameters'}` }).code(400).takeover();

/** The mini-program's wx.requestPayment, with `?outcome=` choosing what the user does. */
export function clientPayRoutes(simulator: Simulator): ServerRoute[] {
    return [{
        method: 'POST',
        path: '/simulator/pay',
        options: {
            payload: { ...JSON_PAYLOAD, failAction: failAsClient },
            validate: {
                payload: params,
                query: Joi.object({ outcome: Joi.string().valid(...PAY_OUTCOMES).default('success') }),
                failAction: failAsClient,
            },
        },
        handler: (request, h) => {
            const { outcome } = request.query as { outcome: PayOutcome };
            const { status, body } = requestPayment(simulator, request.payload as RequestPaymentParams, outcome);
            return h.response(body).code(status);
        },
    }];
}
