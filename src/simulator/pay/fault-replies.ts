import { isSignType, type SignType, type WxParams } from '../../wechat/sign';
import { parseWxXml } from '../../wechat/xml';
import type { BusinessError, FaultEndpoint } from '../faults';
import { newPrepayId, newRefundId, newTransactionId } from '../ids';
import { paidFields, signedMessage } from '../messages';
import type { Simulator } from '../simulator';
import { resultFail } from './protocol';

export type PayEndpoint = Exclude<FaultEndpoint, 'jscode2session' | 'stable_token' | 'upload_shipping_info'>;

/**
 * A reply that looks like `endpoint`'s success but is signed with the wrong key. For
 * orderquery it claims a known order is paid, for refund and refundquery that a refund was
 * made: the forgeries an app must not believe. Nothing in it touches state.
 */
export async function forgedReply(simulator: Simulator, endpoint: PayEndpoint, payload: Buffer): Promise<string> {
    const request = await readLoosely(payload);
    const wrongKey = `${simulator.merchant.apiKey}-forged`;
    const claims = { return_msg: 'OK', result_code: 'SUCCESS', ...claimsOf(simulator, endpoint, request) };
    return signedMessage(simulator.merchant, replySignType(request), claims, wrongKey);
}

function claimsOf(simulator: Simulator, endpoint: PayEndpoint, request: Readonly<Record<string, string>>): WxParams {
    const now = new Date();
    switch (endpoint) {
        case 'unifiedorder':
            return { trade_type: 'JSAPI', prepay_id: newPrepayId(now) };
        case 'closeorder':
            return {};
        case 'orderquery': {
            const order = request.out_trade_no === undefined ? undefined : simulator.orders.find(request.out_trade_no);
            return order === undefined
                ? { out_trade_no: request.out_trade_no, trade_state: 'NOTPAY', trade_state_desc: '订单未支付' }
                : { trade_state: 'SUCCESS', trade_state_desc: '支付成功', ...paidFields(order, { transactionId: newTransactionId(now), timeEnd: now }) };
        }
        case 'refund':
            return { out_trade_no: request.out_trade_no, out_refund_no: request.out_refund_no, refund_id: newRefundId(now), refund_fee: request.refund_fee, total_fee: request.total_fee };
        case 'refundquery':
            return { out_trade_no: request.out_trade_no, refund_count: '1', out_refund_no_0: request.out_refund_no, refund_id_0: newRefundId(now), refund_status_0: 'SUCCESS' };
        case 'downloadbill':
            return {};
    }
}

/** WeChat's business error, signed as the request asked. */
export async function businessErrorReply(simulator: Simulator, payload: Buffer, { errCode, description }: BusinessError): Promise<string> {
    return resultFail(simulator.merchant, replySignType(await readLoosely(payload)), errCode, description);
}

/** The request's fields if it parses at all: a fault answers before any checking. */
function readLoosely(payload: Buffer): Promise<Record<string, string>> {
    return parseWxXml(payload).catch(() => ({}));
}

function replySignType(request: Readonly<Record<string, string>>): SignType {
    return isSignType(request.sign_type) ? request.sign_type : 'MD5';
}
