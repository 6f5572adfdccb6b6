import { setTimeout as sleep } from 'node:timers/promises';

import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { Op } from 'sequelize';

import type { WechatConfig } from '../config';
import { updateWhere } from '../db/rows';
import type { Models } from '../models';
import { describeTokenRefusal, tokenRefusalOf } from '../wechat/access-token-errors';
import { WechatApiRefusal, WechatBadReplyError, WechatError, WechatTransportError } from '../wechat/errors';
import { postWechatJson } from '../wechat/json-api';

const STABLE_TOKEN = 'stable_token';

/** WeChat's answers meaning "this token is no good": invalid (40001), expired (42001), malformed (40014). */
const STALE_TOKEN_ERRCODES = new Set([40001, 42001, 40014]);
/** A token is replaced this long before WeChat says it expires (at most half its life). */
const REFRESH_MARGIN_SECONDS = 300;
/** How often an instance waiting for another's fetch looks at the shared row again. */
const WAIT_POLL_MS = 50;

/** True for a failure to get a token (stable_token refused, unreachable, or answered nonsense), as opposed to the call made with one. */
export function isAccessTokenFailure(error: unknown): error is WechatError {
    return error instanceof WechatError && error.api === STABLE_TOKEN;
}

/**
 * WeChat's access token, from the stable_token API (which, unlike getAccessToken, does not
 * invalidate the token another instance holds), cached in the database for every instance:
 * the instance that wins a conditional UPDATE of the row's claim fetches it, the others wait
 * for the row. The token never leaves this class except to be put in a WeChat URL.
 */
export class WxAccessTokens {
    private readonly claimMs: number;

    constructor(
        private readonly models: Models,
        private readonly wechat: WechatConfig,
        private readonly http: AxiosInstance,
        private readonly logger: Logger,
    ) {
        // One stable_token call, and as much again for the write and the other instances' reads.
        this.claimMs = 2 * wechat.httpTimeoutMs;
    }

    /**
     * Runs `call` with the current token; when WeChat answers that the token is stale, drops
     * that token (only that one: another instance may have stored a newer one) and runs it once more.
     */
    async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
        const token = await this.current();
        try {
            return await call(token);
        }
        catch (error) {
            if (!(error instanceof WechatApiRefusal && STALE_TOKEN_ERRCODES.has(error.errcode))) {
                throw error;
            }
            await updateWhere(this.models.WechatAccessToken, { accessToken: null, expiresAt: null }, { appId: this.wechat.appId, accessToken: token });
            return call(await this.current());
        }
    }

    /** A token with life left: the shared one, or one fetched by this instance or another. */
    async current(): Promise<string> {
        const { appId } = this.wechat;
        const giveUpAt = Date.now() + 2 * this.claimMs;
        await this.models.WechatAccessToken.bulkCreate([{ appId }], { ignoreDuplicates: true });
        while (Date.now() < giveUpAt) {
            const now = new Date();
            const row = await this.models.WechatAccessToken.findByPk(appId, { raw: true });
            if (row?.accessToken && row.expiresAt && new Date(row.expiresAt) > now) {
                return row.accessToken;
            }
            if (await this.claim(now)) {
                return this.fetchAndStore();
            }
            await sleep(WAIT_POLL_MS);
        }
        throw new WechatTransportError(STABLE_TOKEN, true);
    }

    private async claim(now: Date): Promise<boolean> {
        const changed = await updateWhere(this.models.WechatAccessToken, { refreshClaimedUntil: new Date(now.getTime() + this.claimMs) }, {
            appId: this.wechat.appId,
            [Op.or]: [{ refreshClaimedUntil: null }, { refreshClaimedUntil: { [Op.lte]: now } }],
        });
        return changed === 1;
    }

    private async fetchAndStore(): Promise<string> {
        const { appId, appSecret, apiBaseUrl } = this.wechat;
        try {
            const reply = await postWechatJson(this.http, `${apiBaseUrl}/cgi-bin/stable_token`, STABLE_TOKEN, {
                grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: false,
            });
            const { access_token: token, expires_in: expiresIn } = reply;
            if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
                throw new WechatBadReplyError(STABLE_TOKEN, 'no access_token or expires_in');
            }
            const lifeSeconds = expiresIn - Math.min(REFRESH_MARGIN_SECONDS, expiresIn / 2);
            await updateWhere(this.models.WechatAccessToken, {
                accessToken: token, expiresAt: new Date(Date.now() + lifeSeconds * 1000), refreshClaimedUntil: null,
            }, { appId });
            return token;
        }
        catch (error) {
            // Let the next caller (here or elsewhere) try at once rather than wait out the claim.
            await updateWhere(this.models.WechatAccessToken, { refreshClaimedUntil: null }, { appId });
            if (error instanceof WechatApiRefusal) {
                this.reportRefusal(error);
            }
            throw error;
        }
    }

    /** WeChat refusing this server's own setup is raised as an alert naming what to fix; WeChat busy, only logged. */
    private reportRefusal({ errcode, errmsg }: WechatApiRefusal): void {
        const { problem, fix } = tokenRefusalOf(errcode);
        if (fix === undefined) {
            this.logger.warn({ event: 'access_token.refused', errcode, errmsg, problem }, `WeChat gave no access token: ${problem}`);
            return;
        }
        this.logger.error({ event: 'alert.access_token_refused', alert: 'access_token_refused', appId: this.wechat.appId, errcode, errmsg, problem, fix },
            `ALERT: WeChat refuses this server an access token, so shipment uploads wait: ${describeTokenRefusal(errcode)}`);
    }
}
