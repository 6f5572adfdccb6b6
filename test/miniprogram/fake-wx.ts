import type { TestApp } from '../helpers/app';

// The `wx` a phone gives the example mini-program, for one shopper, over the real API and the
// real simulator: wx.request is an HTTP request to the running app, wx.login hands out codes the
// simulator's jscode2session accepts, WeChat's pay sheet pays through the simulator as WeChat's
// client does (or the shopper cancels it), and WeChat's receipt page confirms at the simulator.

/** What the shopper does on WeChat's pay sheet; `devtools`: WeChat DevTools, which cannot pay a simulator's prepay. */
export type PaySheet = 'pay' | 'cancel' | 'devtools';

export interface ApiCall {
    readonly method: string;
    /** without the query string */
    readonly path: string;
    readonly statusCode: number;
}

export interface Shopper {
    /** The simulator's user: every code `name.N` signs in as the same WeChat user. */
    readonly name: string;
    readonly calls: ApiCall[];
    /** wx.login codes handed out, one per sign-in. */
    readonly logins: string[];
    /** navigateTo, switchTab and redirectTo urls, in order. */
    readonly navigations: string[];
    readonly toasts: string[];
    /** The phone's storage, as JSON text like WeChat keeps it. */
    readonly storage: Map<string, string>;
    paySheet: PaySheet;
}

interface Callbacks {
    success?: (result: object) => void;
    fail?: (error: object) => void;
    complete?: (result: object) => void;
}

/** A wx API both ways WeChat offers it: with success/fail/complete callbacks, or as a promise. */
function wxApi<O extends object>(run: (option: O) => Promise<object>) {
    return (option: O & Callbacks = {} as O & Callbacks) => {
        const outcome = run(option);
        if (!option.success && !option.fail && !option.complete) {
            return outcome;
        }
        outcome.then((result) => {
            option.success?.(result);
            option.complete?.(result);
        }, (error: object) => {
            option.fail?.(error);
            option.complete?.(error);
        });
        return undefined;
    };
}

let shoppers = 0;

/** Installs a new shopper's phone as the global `wx` (over miniprogram-simulate's mock of the rest). */
export function installShopper(app: TestApp): Shopper {
    const base = app.server.info.uri;
    const shopper: Shopper = {
        name: `shopper${++shoppers}x${process.pid}`,
        calls: [],
        logins: [],
        navigations: [],
        toasts: [],
        storage: new Map(),
        paySheet: 'pay',
    };
    const simulator = (path: string, body?: object) => fetch(`${base}/__wechat/simulator${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
    });
    const navigate = wxApi(async ({ url }: { url: string }) => {
        shopper.navigations.push(url);
        return { errMsg: 'navigateTo:ok' };
    });

    Object.assign((globalThis as unknown as { wx: object }).wx, {
        request: wxApi(async (option: { url: string; method?: string; data?: Record<string, unknown>; header?: Record<string, string>; timeout?: number }) => {
            const method = option.method ?? 'GET';
            const url = new URL(option.url);
            const headers: Record<string, string> = { ...option.header };
            let body: string | undefined;
            if (method === 'GET') {
                for (const [name, value] of Object.entries(option.data ?? {})) {
                    url.searchParams.set(name, String(value));
                }
            }
            else if (option.data !== undefined) {
                body = JSON.stringify(option.data);
                headers['content-type'] ??= 'application/json';
            }
            let response: Response;
            try {
                response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(option.timeout ?? 60_000) });
            }
            catch (error) {
                throw { errMsg: (error as Error).name === 'TimeoutError' ? 'request:fail timeout' : `request:fail ${(error as Error).message}` };
            }
            shopper.calls.push({ method, path: url.pathname, statusCode: response.status });
            const text = await response.text();
            let data: unknown = text;
            try {
                data = JSON.parse(text);
            }
            catch {
                // WeChat hands over text it cannot parse as it is.
            }
            return { errMsg: 'request:ok', statusCode: response.status, data, header: Object.fromEntries(response.headers), cookies: [] };
        }),

        login: wxApi(async () => {
            const code = `${shopper.name}.${shopper.logins.length + 1}`;
            shopper.logins.push(code);
            return { errMsg: 'login:ok', code };
        }),

        requestPayment: wxApi(async ({ timeStamp, nonceStr, package: prepay, signType, paySign }: Record<string, string>) => {
            if (shopper.paySheet === 'cancel') {
                throw { errMsg: 'requestPayment:fail cancel' };
            }
            if (shopper.paySheet === 'devtools') {
                throw { errMsg: 'requestPayment:fail (the simulator\'s prepay is unknown to WeChat DevTools)' };
            }
            // WeChat's client checks paySign and the prepay, then pays: the simulator does both.
            const response = await simulator('/pay', { timeStamp, nonceStr, package: prepay, signType, paySign });
            const answer = await response.json() as { errMsg: string };
            if (response.status !== 200) {
                throw answer;
            }
            return answer;
        }),

        openBusinessView: wxApi(async ({ businessType, extraData }: { businessType: string; extraData: { transaction_id: string } }) => {
            if (businessType !== 'weappOrderConfirm') {
                throw { errMsg: `openBusinessView:fail unknown businessType ${businessType}` };
            }
            // The shopper taps "confirm receipt" on WeChat's page; WeChat refuses an order it holds no shipment for.
            const response = await simulator(`/shipping/${encodeURIComponent(extraData.transaction_id)}/confirm-receipt`);
            const answer = await response.json() as { message?: string };
            const status = response.status === 200 ? { status: 'success' } : { status: 'fail', errormsg: answer.message };
            return { errMsg: 'openBusinessView:ok', extraData: { ...status, req_extradata: extraData } };
        }),

        getDeviceInfo: () => ({ platform: shopper.paySheet === 'devtools' ? 'devtools' : 'ios' }),
        showModal: wxApi(async () => ({ errMsg: 'showModal:ok', confirm: true, cancel: false })),
        showToast: wxApi(async ({ title }: { title: string }) => {
            shopper.toasts.push(title);
            return { errMsg: 'showToast:ok' };
        }),
        navigateTo: navigate,
        switchTab: navigate,
        redirectTo: navigate,
        stopPullDownRefresh: wxApi(async () => ({ errMsg: 'stopPullDownRefresh:ok' })),

        getStorageSync: (key: string) => {
            const text = shopper.storage.get(key);
            return text === undefined ? '' : JSON.parse(text);
        },
        setStorageSync: (key: string, value: unknown) => void shopper.storage.set(key, JSON.stringify(value)),
        removeStorageSync: (key: string) => void shopper.storage.delete(key),
    });
    return shopper;
}
