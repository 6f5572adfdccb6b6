import type { KeyObject } from 'node:crypto';

import { nonceStr } from '../nonce';
import { unixSeconds } from '../time';
import type { SignOptions } from './reply-signature';
import { signSha256WithRsa, verifySha256WithRsa } from './rsa-signature';

// wx.requestPayment under APIv3: `signType: 'RSA'`, and paySign = SHA256withRSA with the merchant
// API private key over `appId\ntimeStamp\nnonceStr\npackage\n`, where package is `prepay_id=…`.

export const PAY_SIGN_TYPE = 'RSA';

/** What the mini-program passes to wx.requestPayment for a v3 prepay. */
export interface RsaRequestPayment {
    readonly appId: string;
    readonly timeStamp: string;
    readonly nonceStr: string;
    readonly package: string;
    readonly signType: typeof PAY_SIGN_TYPE;
    readonly paySign: string;
}

type Unsigned = Pick<RsaRequestPayment, 'appId' | 'timeStamp' | 'nonceStr' | 'package'>;

export function paySignMessage(params: Unsigned): string {
    return `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
}

export function requestPaymentFor(appId: string, prepayId: string, privateKey: KeyObject, options: SignOptions = {}): RsaRequestPayment {
    const unsigned: Unsigned = {
        appId,
        timeStamp: unixSeconds(new Date((options.now ?? Date.now)())),
        nonceStr: options.nonce ?? nonceStr().toUpperCase(),
        package: `prepay_id=${prepayId}`,
    };
    return { ...unsigned, signType: PAY_SIGN_TYPE, paySign: signSha256WithRsa(paySignMessage(unsigned), privateKey) };
}

/** The simulator's cashier: whether `params` were signed by the merchant whose certificate holds `publicKey`. */
export function verifyPaySign(params: Omit<RsaRequestPayment, 'signType'> & { readonly signType?: string }, publicKey: KeyObject): boolean {
    return params.signType === PAY_SIGN_TYPE && verifySha256WithRsa(paySignMessage(params), params.paySign, publicKey);
}
