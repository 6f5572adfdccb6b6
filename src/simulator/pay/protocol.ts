import type { WechatMerchant } from '../../config';
import { isSignType, verify, type SignType, type WxParams } from '../../wechat/sign';
import { buildWxXml, parseWxXml } from '../../wechat/xml';
import { signedMessage } from '../messages';

export interface PayRequest {
    readonly fields: Readonly<Record<string, string>>;
    /** The request's sign_type (MD5 when absent): its signature's and the reply's. */
    readonly signType: SignType;
}

export type Received = { readonly request: PayRequest } | { readonly reply: string };

/** A reply with return_code FAIL: about the call itself, and unsigned, as WeChat's are. */
export function returnFail(message: string): string {
    return buildWxXml({ return_code: 'FAIL', return_msg: message });
}

/** A signed reply to an authenticated call; `fields` holds result_code and the rest. */
export function signedReply(merchant: WechatMerchant, signType: SignType, fields: WxParams): string {
    return signedMessage(merchant, signType, { return_msg: 'OK', ...fields });
}

/** A business error: the call was fine, the answer is no. */
export function resultFail(merchant: WechatMerchant, signType: SignType, errCode: string, description: string): string {
    return signedReply(merchant, signType, { result_code: 'FAIL', err_code: errCode, err_code_des: description });
}

/**
 * Checks what WeChat checks before looking at a Pay API call's business: the XML, the
 * required fields, that appid and mch_id are this merchant's, the sign_type, and the
 * signature over every received field but `sign` — unknown ones included.
 */
export async function receive(payload: Buffer, required: readonly string[], merchant: WechatMerchant): Promise<Received> {
    let fields: Record<string, string>;
    try {
        fields = await parseWxXml(payload);
    }
    catch (error) {
        return { reply: returnFail(`XML格式错误: ${(error as Error).message}`) };
    }

    const missing = required.find((name) => !fields[name]);
    if (missing !== undefined) {
        return { reply: returnFail(`缺少参数 ${missing}`) };
    }
    if (fields.appid !== merchant.appId || fields.mch_id !== merchant.mchId) {
        return { reply: returnFail('appid和mch_id不匹配') };
    }

    const signType = fields.sign_type ?? 'MD5';
    if (!isSignType(signType)) {
        // Nothing to verify with; WeChat still answers in its signed format.
        return { reply: resultFail(merchant, 'MD5', 'PARAM_ERROR', 'sign_type 只能是 MD5 或 HMAC-SHA256') };
    }
    if (!verify(fields, merchant.apiKey, signType)) {
        return { reply: returnFail('签名错误') };
    }
    return { request: { fields, signType } };
}
