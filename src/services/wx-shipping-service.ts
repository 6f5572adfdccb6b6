import type { AxiosInstance } from 'axios';

import type { WechatConfig } from '../config';
import type { LogisticsType } from '../models/shipment';
import { postWechatJson } from '../wechat/json-api';
import { toBeijingRfc3339 } from '../wechat/time';
import type { WxAccessTokens } from './wx-access-token';

/** WeChat's logistics_type numbers. */
const LOGISTICS_TYPE_CODES: Readonly<Record<LogisticsType, number>> = { express: 1, same_city: 2, virtual: 3, pickup: 4 };
/** WeChat's delivery_mode 1: one parcel for the whole order (split delivery is not offered). */
const UNIFIED_DELIVERY = 1;
/** order_number_type 2: the order is named by WeChat Pay's transaction_id. */
const BY_TRANSACTION_ID = 2;

export interface ShippingUpload {
    readonly transactionId: string;
    readonly payerOpenId: string;
    readonly logisticsType: LogisticsType;
    readonly expressCompany: string | null;
    readonly trackingNo: string | null;
    readonly itemDesc: string;
    readonly uploadedAt: Date;
}

/** WeChat's order-shipping service (发货信息管理服务): upload_shipping_info, with the shared access token. */
export class WxShippingService {
    constructor(
        private readonly wechat: WechatConfig,
        private readonly http: AxiosInstance,
        private readonly tokens: WxAccessTokens,
    ) {}

    /** Resolves when WeChat accepted the upload; WechatApiRefusal with its errcode, or a transport / bad-reply error. */
    async upload(shipment: ShippingUpload): Promise<void> {
        const body = {
            order_key: { order_number_type: BY_TRANSACTION_ID, transaction_id: shipment.transactionId },
            logistics_type: LOGISTICS_TYPE_CODES[shipment.logisticsType],
            delivery_mode: UNIFIED_DELIVERY,
            shipping_list: [{
                ...(shipment.trackingNo === null ? {} : { tracking_no: shipment.trackingNo }),
                ...(shipment.expressCompany === null ? {} : { express_company: shipment.expressCompany }),
                item_desc: shipment.itemDesc,
            }],
            upload_time: toBeijingRfc3339(shipment.uploadedAt),
            payer: { openid: shipment.payerOpenId },
        };
        await this.tokens.withToken((token) => postWechatJson(this.http,
            `${this.wechat.apiBaseUrl}/wxa/sec/order/upload_shipping_info?access_token=${encodeURIComponent(token)}`, 'upload_shipping_info', body));
    }
}
