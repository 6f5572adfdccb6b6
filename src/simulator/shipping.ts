import type { AccessTokens } from './access-tokens';
import type { Orders } from './orders';

// WeChat's order-shipping service (发货信息管理服务): upload_shipping_info, checked like WeChat.

export interface ShippingRecord {
    readonly transactionId: string;
    /** Accepted uploads: the first, and one re-upload (重新发货) at most. */
    uploads: number;
    /** Set by the shopper's receipt confirmation (a control route here). */
    receiptConfirmed: boolean;
    last: Record<string, unknown>;
}

export type WechatJsonReply = { readonly errcode: number; readonly errmsg: string };

const OK: WechatJsonReply = { errcode: 0, errmsg: 'ok' };
const ITEM_DESC_MAX = 120;

/** The payments WeChat has shipping information for, by transaction_id. */
export class Shippings {
    private readonly byTransactionId = new Map<string, ShippingRecord>();

    find(transactionId: string): ShippingRecord | undefined {
        return this.byTransactionId.get(transactionId);
    }

    record(transactionId: string): ShippingRecord {
        let record = this.byTransactionId.get(transactionId);
        if (record === undefined) {
            record = { transactionId, uploads: 0, receiptConfirmed: false, last: {} };
            this.byTransactionId.set(transactionId, record);
        }
        return record;
    }
}

const refuse = (errcode: number, errmsg: string): WechatJsonReply => ({ errcode, errmsg });
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** upload_shipping_info: the token, then the payment, the payer and the fields, in WeChat's errcodes. */
export function uploadShippingInfo(tokens: AccessTokens, orders: Orders, shippings: Shippings, accessToken: string | undefined, body: Record<string, unknown>): WechatJsonReply {
    const token = tokens.check(accessToken);
    if (token === 'expired') {
        return refuse(42001, 'access_token expired');
    }
    if (token === 'invalid') {
        return refuse(40001, 'invalid credential, access_token is invalid or not latest');
    }
    const orderKey = (body.order_key ?? {}) as Record<string, unknown>;
    const transactionId = orderKey.order_number_type === 2 ? text(orderKey.transaction_id) : undefined;
    const order = transactionId === undefined ? undefined : orders.findByTransactionId(transactionId);
    if (transactionId === undefined || order === undefined) {
        return refuse(10060001, '支付单不存在');
    }
    const record = shippings.record(transactionId);
    if (order.state !== 'SUCCESS' || record.receiptConfirmed) {
        return refuse(10060004, '支付单处于不可发货的状态');
    }
    const logisticsType = body.logistics_type;
    if (logisticsType !== 1 && logisticsType !== 2 && logisticsType !== 3 && logisticsType !== 4) {
        return refuse(10060005, '物流类型有误');
    }
    if (body.delivery_mode !== 1 || !Array.isArray(body.shipping_list) || body.shipping_list.length !== 1 || text(body.upload_time) === undefined) {
        return refuse(10060014, '参数错误');
    }
    const parcel = body.shipping_list[0] as Record<string, unknown>;
    const itemDesc = parcel.item_desc;
    if (text(itemDesc) === undefined) {
        return refuse(10060008, '商品描述字段不能为空');
    }
    if ([...(itemDesc as string)].length > ITEM_DESC_MAX) {
        return refuse(10060009, '商品描述字段长度有误');
    }
    if (logisticsType === 1 && (text(parcel.tracking_no) === undefined || text(parcel.express_company) === undefined)) {
        return refuse(10060014, '参数错误, 物流快递发货时物流单号和物流公司编码必填');
    }
    if (text((body.payer as Record<string, unknown> | undefined)?.openid) !== order.openid) {
        return refuse(10060014, '参数错误, payer openid 与支付者不一致');
    }
    if (record.uploads >= 2) {
        return refuse(10060003, '支付单已使用重新发货机会');
    }
    record.uploads += 1;
    record.last = body;
    return OK;
}
