import { NO_BILL_EXIST } from '../../wechat/bill';
import { fromBeijingCompact, toBeijingCompact } from '../../wechat/time';
import { buildWxXml } from '../../wechat/xml';
import { buildBill } from '../trade-bill';
import type { Simulator } from '../simulator';
import type { PayRequest } from './protocol';

export const DOWNLOADBILL_REQUIRED = ['appid', 'mch_id', 'nonce_str', 'sign', 'bill_date'] as const;

/** The bill's text in pieces, to send gzipped with tar_type=GZIP; or WeChat's unsigned XML refusal, with its error_code. */
export type BillAnswer = { readonly bill: Iterable<string>; readonly gzip: boolean } | { readonly refusal: string };

/**
 * /pay/downloadbill for bill_type ALL: the CSV of a Beijing day up to today (tar_type=GZIP:
 * the same CSV as a gzip file), or the XML WeChat answers instead, never compressed ("No Bill
 * Exist" for a day without trades is one of them).
 */
export function downloadBill(simulator: Simulator, { fields }: PayRequest): BillAnswer {
    const { bill_date: billDate = '', bill_type: billType = 'ALL', tar_type: tarType } = fields;
    if (billType !== 'ALL') {
        return refuse('invalid bill_type', '20003');
    }
    if (tarType !== undefined && tarType !== 'GZIP') {
        return refuse('invalid tar_type', '20003');
    }
    const day = /^\d{8}$/.test(billDate) ? fromBeijingCompact(`${billDate}000000`) : undefined;
    if (day === undefined || billDate > toBeijingCompact(new Date()).slice(0, 8)) {
        return refuse('invalid bill_date', '20001');
    }
    const bill = buildBill(simulator, billDate);
    return bill === undefined ? refuse(NO_BILL_EXIST, '20002') : { bill, gzip: tarType === 'GZIP' };
}

function refuse(message: string, errorCode: string): BillAnswer {
    return { refusal: buildWxXml({ return_code: 'FAIL', return_msg: message, error_code: errorCode }) };
}
