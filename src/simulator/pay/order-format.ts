import { isIP } from 'node:net';

import { fromBeijingCompact } from '../../wechat/time';

const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;
const TOTAL_FEE = /^[1-9]\d{0,9}$/;

/**
 * The first field of a JSAPI unifiedorder that WeChat would refuse as PARAM_ERROR, described
 * as err_code_des; undefined when all are well-formed. The simulator speaks JSAPI only.
 */
export function orderFormatProblem(fields: Readonly<Record<string, string>>, now: Date): string | undefined {
    const { out_trade_no, total_fee, nonce_str, body, time_expire, trade_type, spbill_create_ip, notify_url, fee_type, attach, openid } = fields;
    if (trade_type !== 'JSAPI') {
        return 'trade_type 只支持 JSAPI';
    }
    if (!OUT_TRADE_NO.test(out_trade_no ?? '')) {
        return 'out_trade_no 须为 6-32 位字母、数字或 _-|*';
    }
    if (!TOTAL_FEE.test(total_fee ?? '')) {
        return 'total_fee 须为正整数（单位：分）';
    }
    if ((nonce_str ?? '').length > 32) {
        return 'nonce_str 不能超过 32 个字符';
    }
    if (Buffer.byteLength(body ?? '', 'utf8') > 127) {
        return 'body 不能超过 127 字节';
    }
    if (attach !== undefined && Buffer.byteLength(attach, 'utf8') > 127) {
        return 'attach 不能超过 127 字节';
    }
    if ((openid ?? '').length > 128) {
        return 'openid 格式错误';
    }
    if (isIP(spbill_create_ip ?? '') === 0) {
        return 'spbill_create_ip 须为 IP 地址';
    }
    if (!isHttpUrl(notify_url ?? '')) {
        return 'notify_url 须为 http(s) 地址，不超过 256 个字符';
    }
    if (fee_type !== undefined && fee_type !== 'CNY') {
        return 'fee_type 只支持 CNY';
    }
    if (time_expire !== undefined) {
        const expiry = fromBeijingCompact(time_expire);
        if (expiry === undefined || expiry.getTime() <= now.getTime()) {
            return 'time_expire 须为将来的 yyyyMMddHHmmss（北京时间）';
        }
    }
    return undefined;
}

/** An http(s) URL of at most 256 characters, as WeChat takes notify_url. */
export function isHttpUrl(text: string): boolean {
    if (text.length > 256) {
        return false;
    }
    try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:';
    }
    catch {
        return false;
    }
}
