import type { WechatCall, WechatCallObserver, WechatCallOutcome } from '../wechat/http';

export interface LoggedCall {
    readonly api: string;
    readonly outcome: WechatCallOutcome;
    readonly seconds: number;
    readonly at: Date;
}

export interface CallRecord {
    readonly last: LoggedCall;
    /** The last call of this kind that did not end `ok`, if any since start. */
    readonly lastFailure: LoggedCall | null;
}

/**
 * The last call to WeChat of each kind (`pay/unifiedorder`, `secapi/pay/refund`, `cgi-bin/stable_token`…)
 * and its outcome, as this instance made them since it started: a WechatCallObserver beside the
 * metrics. One entry per API, so it stays the size of the API list.
 */
export class WechatCallLog {
    private readonly calls = new Map<string, CallRecord>();

    readonly observe: WechatCallObserver = (call: WechatCall) => {
        const logged = { ...call, at: new Date() };
        const earlier = this.calls.get(call.api);
        this.calls.set(call.api, { last: logged, lastFailure: call.outcome === 'ok' ? earlier?.lastFailure ?? null : logged });
    };

    all(): Array<CallRecord> {
        return [...this.calls.values()].sort((a, b) => a.last.api.localeCompare(b.last.api));
    }
}
