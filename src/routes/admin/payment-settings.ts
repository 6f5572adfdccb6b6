import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { adminAccess } from '../../plugins/staff-auth';
import type { LoggedCall } from '../../services/wechat-call-log';
import { SCOPES } from '../../services/staff/roles';
import { swaggerDocs } from '../schemas';

const keySchema = Joi.object({
    kind: Joi.string().required().description('api_key_v2: the v2 API key (never shown); merchant_certificate: the client certificate /secapi presents'),
    serial: Joi.string().allow(null).required(),
    not_before: Joi.date().allow(null).required(),
    not_after: Joi.date().allow(null).required(),
    days_left: Joi.number().integer().allow(null).required(),
    problem: Joi.string().allow(null).required().description('what to fix: missing, expiring within 30 days, expired, unreadable'),
}).label('GatewayKey');

const callSchema = Joi.object({
    api: Joi.string().required().example('pay/unifiedorder'),
    outcome: Joi.string().valid('ok', 'http_error', 'timeout', 'network_error').required().label('WechatCallOutcome'),
    seconds: Joi.number().required(),
    at: Joi.date().required(),
}).label('WechatCall');

const settingsSchema = Joi.object({
    simulator: Joi.boolean().required().description('WeChat is the built-in simulator (never in production)'),
    gateways: Joi.array().items(Joi.object({
        api_version: Joi.string().valid('v2', 'v3').required().label('PayApiVersion'),
        mch_id: Joi.string().required(),
        appid: Joi.string().required(),
        sign_type: Joi.string().required(),
        base_url: Joi.string().required(),
        notify_url: Joi.string().required(),
        refund_notify_url: Joi.string().required(),
        keys: Joi.array().items(keySchema).required().label('GatewayKeys'),
    }).label('GatewayReport')).required().label('GatewayReports'),
    access_token: Joi.object({
        appid: Joi.string().required(),
        present: Joi.boolean().required().description('a token with life left is held (the token itself is never shown)'),
        expires_at: Joi.date().allow(null).required(),
        refreshing: Joi.boolean().required(),
        last_refusal: Joi.object({
            at: Joi.date().required(), errcode: Joi.number().integer().allow(null).required(),
            problem: Joi.string().allow(null).required(), fix: Joi.string().allow(null).required(),
        }).allow(null).required().label('AccessTokenRefusal'),
    }).required().label('AccessTokenState'),
    wechat_calls: Joi.array().items(Joi.object({ last: callSchema.required(), last_failure: callSchema.allow(null).required() }).label('WechatCallRecord')).required()
        .label('WechatCalls').description("this instance's last call of each kind since it started, and its last failed one"),
    refund_approval_above_fen: Joi.number().integer().required().description('REFUND_APPROVAL_ABOVE_FEN (0: no refund waits)'),
}).label('PaymentSettings');

const callView = (call: LoggedCall) => ({ api: call.api, outcome: call.outcome, seconds: call.seconds, at: call.at });

/** The payment setup's health: nothing secret, only what is configured and how it is doing. */
export const adminPaymentSettingsRoutes: ServerRoute[] = [
    {
        method: 'GET',
        path: '/admin/payment-settings',
        options: {
            auth: adminAccess(SCOPES.paymentSettings),
            tags: ['api', 'admin'],
            description: "Payment settings' health: API version, keys and certificate expiry, the access token's state, the last WeChat call of each kind",
            plugins: swaggerDocs({ admin: true }),
            response: { schema: settingsSchema },
            handler: async (request) => {
                const settings = await request.services().paymentSettings.now();
                return {
                    simulator: settings.simulator,
                    gateways: settings.gateways.map((gateway) => ({
                        api_version: gateway.apiVersion, mch_id: gateway.mchId, appid: gateway.appId, sign_type: gateway.signType, base_url: gateway.baseUrl,
                        notify_url: gateway.notifyUrl, refund_notify_url: gateway.refundNotifyUrl,
                        keys: gateway.keys.map((key) => ({ kind: key.kind, serial: key.serial, not_before: key.notBefore, not_after: key.notAfter, days_left: key.daysLeft, problem: key.problem })),
                    })),
                    access_token: {
                        appid: settings.accessToken.appId, present: settings.accessToken.present, expires_at: settings.accessToken.expiresAt,
                        refreshing: settings.accessToken.refreshing, last_refusal: settings.accessToken.lastRefusal,
                    },
                    wechat_calls: settings.wechatCalls.map((record) => ({ last: callView(record.last), last_failure: record.lastFailure === null ? null : callView(record.lastFailure) })),
                    refund_approval_above_fen: settings.refundApprovalAboveFen,
                };
            },
        },
    },
];
