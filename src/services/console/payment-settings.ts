import type { AppConfig } from '../../config';
import type { Models } from '../../models';
import type { MerchantCertificate } from '../../wechat/merchant-certificate';
import { merchantIdentity } from '../../wechat/pay-v3/merchant-identity';
import type { AlertLog } from '../alert-log';
import type { CallRecord, WechatCallLog } from '../wechat-call-log';

/** A certificate this close to expiry is flagged: WeChat's renewal takes a few days of the merchant's time. */
const EXPIRY_WARNING_DAYS = 30;

/** A key the gateway signs or verifies with: what it is and, for certificates, which one and until when. Never the key itself. */
export interface GatewayKey {
    /** `api_key_v2`: the v2 API key (HMAC/MD5 signatures, refund decryption); `merchant_certificate`: /secapi's client certificate (v3: its request-signing key). */
    readonly kind: string;
    readonly serial: string | null;
    readonly notBefore: Date | null;
    readonly notAfter: Date | null;
    readonly daysLeft: number | null;
    readonly problem: string | null;
}

/** One WeChat Pay gateway as the console shows it; v3, once added, reports its own entry beside v2's. */
export interface GatewayReport {
    readonly apiVersion: 'v2' | 'v3';
    readonly mchId: string;
    readonly appId: string;
    readonly signType: string;
    readonly baseUrl: string;
    readonly notifyUrl: string;
    readonly refundNotifyUrl: string;
    readonly keys: readonly GatewayKey[];
}

export interface AccessTokenState {
    readonly appId: string;
    readonly present: boolean;
    readonly expiresAt: Date | null;
    /** Another fetch is under way (an instance holds the refresh claim). */
    readonly refreshing: boolean;
    /** The last alert.access_token_refused: WeChat refusing this server a token, and what to fix. */
    readonly lastRefusal: { readonly at: Date; readonly errcode: number | null; readonly problem: string | null; readonly fix: string | null } | null;
}

export interface PaymentSettings {
    readonly simulator: boolean;
    readonly gateways: readonly GatewayReport[];
    readonly accessToken: AccessTokenState;
    readonly wechatCalls: readonly CallRecord[];
    readonly refundApprovalAboveFen: number;
}

/** The payment setup's health for the console: what is configured and how it is doing, with every secret left out. */
export class PaymentSettingsReport {
    constructor(
        private readonly config: AppConfig,
        private readonly models: Models,
        private readonly alerts: AlertLog,
        private readonly calls: WechatCallLog,
        private readonly certificate: MerchantCertificate | undefined,
    ) {}

    async now(now = new Date()): Promise<PaymentSettings> {
        const { wechat, refunds } = this.config;
        const [token, refusal] = await Promise.all([
            this.models.WechatAccessToken.findByPk(wechat.appId, { attributes: ['expiresAt', 'refreshClaimedUntil', 'accessToken'], raw: true }),
            this.alerts.page(1, undefined, 'alert.access_token_refused'),
        ]);
        const refusalDetails = refusal[0] === undefined ? undefined : JSON.parse(refusal[0].details) as { errcode?: number; problem?: string; fix?: string };
        const expiresAt = token?.expiresAt ? new Date(token.expiresAt) : null;
        return {
            simulator: this.config.simulator.enabled,
            gateways: [{
                apiVersion: 'v2',
                mchId: wechat.mchId,
                appId: wechat.appId,
                signType: wechat.signType,
                baseUrl: wechat.payBaseUrl,
                notifyUrl: wechat.notifyUrl,
                refundNotifyUrl: refunds.notifyUrl,
                keys: [{ kind: 'api_key_v2', serial: null, notBefore: null, notAfter: null, daysLeft: null, problem: null }, this.merchantCertificate(now)],
            }],
            accessToken: {
                appId: wechat.appId,
                present: Boolean(token?.accessToken) && expiresAt !== null && expiresAt > now,
                expiresAt,
                refreshing: token?.refreshClaimedUntil ? new Date(token.refreshClaimedUntil) > now : false,
                lastRefusal: refusal[0] === undefined ? null : {
                    at: refusal[0].createdAt, errcode: refusalDetails?.errcode ?? null, problem: refusalDetails?.problem ?? null, fix: refusalDetails?.fix ?? null,
                },
            },
            wechatCalls: this.calls.all(),
            refundApprovalAboveFen: refunds.approvalAboveFen,
        };
    }

    private merchantCertificate(now: Date): GatewayKey {
        if (this.certificate === undefined) {
            return { kind: 'merchant_certificate', serial: null, notBefore: null, notAfter: null, daysLeft: null, problem: 'none loaded: refunds answer 501 (set WX_PAY_CERT_P12, or WX_PAY_CERT_PEM and WX_PAY_KEY_PEM)' };
        }
        try {
            const identity = merchantIdentity(this.config.wechat.mchId, this.certificate);
            const daysLeft = Math.floor((identity.notAfter.getTime() - now.getTime()) / 86_400_000);
            const problem = daysLeft < 0 ? 'expired: WeChat refuses /secapi calls (refunds)' : daysLeft <= EXPIRY_WARNING_DAYS ? `expires in ${daysLeft} days: renew it in the merchant platform` : null;
            return { kind: 'merchant_certificate', serial: identity.serialNo, notBefore: identity.notBefore, notAfter: identity.notAfter, daysLeft, problem };
        }
        catch (error) {
            return { kind: 'merchant_certificate', serial: null, notBefore: null, notAfter: null, daysLeft: null, problem: (error as Error).message };
        }
    }
}
