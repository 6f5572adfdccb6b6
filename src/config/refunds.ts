import Joi from 'joi';

import type { MerchantCertificateSource } from '../wechat/merchant-certificate';
import { originOfSetting, problem, type ConfigSection, type Problem } from './settings';
import { insecureUrls } from './wechat';

export interface RefundConfig {
    /**
     * The merchant certificate for /secapi (refunds). 'development': the simulator's dev
     * certificate, made on first run. Undefined: refunds answer 501 (nothing to sign them with).
     */
    readonly certificate: MerchantCertificateSource | 'development' | undefined;
    /** Starts every out_refund_no, so environments sharing one mch_id never collide. */
    readonly outRefundNoPrefix: string;
    /** Sent as each refund's notify_url. */
    readonly notifyUrl: string;
    /** How often the refund job retries and re-queries refunds; 0 switches it off. */
    readonly jobIntervalMs: number;
    /** A refund still processing this long after acceptance is checked with refundquery. */
    readonly queryAfterMs: number;
    /** Reading a refund asks WeChat about it at most this often. */
    readonly queryThrottleMs: number;
    /**
     * A refund of more than this (fen) waits for a second staff member (owner or finance) to
     * approve it before WeChat is asked; 0: no refund waits.
     */
    readonly approvalAboveFen: number;
}

export const refunds: ConfigSection<RefundConfig> = {
    keys: {
        WX_PAY_CERT_P12: Joi.string(),
        WX_PAY_CERT_PASSPHRASE: Joi.string(),
        WX_PAY_CERT_PEM: Joi.string(),
        WX_PAY_KEY_PEM: Joi.string(),
        WX_PAY_REFUND_NOTIFY_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
        // out_refund_no is at most 64 characters; the prefix leaves 32 for the refund's own number.
        WX_REFUND_NO_PREFIX: Joi.string().pattern(/^[A-Za-z0-9_-]{1,16}$/).default('RF'),
        REFUND_JOB_INTERVAL_MS: Joi.number().integer().min(0).default(60_000),
        REFUND_QUERY_AFTER_MS: Joi.number().integer().min(0).default(5 * 60_000),
        REFUND_QUERY_THROTTLE_MS: Joi.number().integer().min(0).default(5000),
        REFUND_APPROVAL_ABOVE_FEN: Joi.number().integer().min(0).max(9_999_999_999).default(0),
    },
    problems(settings, { isProduction }) {
        const { WX_PAY_CERT_P12: p12, WX_PAY_CERT_PEM: certPem, WX_PAY_KEY_PEM: keyPem } = settings;
        const problems: Problem[] = [];
        if (p12 !== undefined && (certPem !== undefined || keyPem !== undefined)) {
            problems.push(problem(['WX_PAY_CERT_P12', 'WX_PAY_CERT_PEM', 'WX_PAY_KEY_PEM'], 'set WX_PAY_CERT_P12 or WX_PAY_CERT_PEM + WX_PAY_KEY_PEM, not both'));
        }
        else if ((certPem === undefined) !== (keyPem === undefined)) {
            const [missing, given] = certPem === undefined ? ['WX_PAY_CERT_PEM', 'WX_PAY_KEY_PEM'] : ['WX_PAY_KEY_PEM', 'WX_PAY_CERT_PEM'];
            problems.push(problem([missing, given], `${missing} is required with ${given}`));
        }
        return isProduction ? [...problems, ...insecureUrls(settings, ['WX_PAY_REFUND_NOTIFY_URL'])] : problems;
    },
    read: (settings, { simulatorEnabled, selfUrl }) => ({
        certificate: certificateFrom(settings, simulatorEnabled),
        outRefundNoPrefix: settings.WX_REFUND_NO_PREFIX,
        // Beside the payment notification's public origin when that is set: WeChat must reach both.
        notifyUrl: settings.WX_PAY_REFUND_NOTIFY_URL ?? `${originOfSetting(settings.WX_PAY_NOTIFY_URL) ?? selfUrl}/orders/refund/notify`,
        jobIntervalMs: settings.REFUND_JOB_INTERVAL_MS,
        queryAfterMs: settings.REFUND_QUERY_AFTER_MS,
        queryThrottleMs: settings.REFUND_QUERY_THROTTLE_MS,
        approvalAboveFen: settings.REFUND_APPROVAL_ABOVE_FEN,
    }),
};

/** A p12 or a PEM pair (the problems above keep it to one); with neither, the in-process simulator's development certificate. */
function certificateFrom(settings: Record<string, string | undefined>, simulatorEnabled: boolean): RefundConfig['certificate'] {
    const { WX_PAY_CERT_P12: p12Path, WX_PAY_CERT_PASSPHRASE: passphrase, WX_PAY_CERT_PEM: certPemPath, WX_PAY_KEY_PEM: keyPemPath } = settings;
    if (p12Path !== undefined) {
        return { p12Path, passphrase };
    }
    if (certPemPath !== undefined && keyPemPath !== undefined) {
        return { certPemPath, keyPemPath };
    }
    return simulatorEnabled ? 'development' : undefined;
}
