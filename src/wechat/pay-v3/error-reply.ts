// A non-2xx APIv3 reply: JSON `{code, message, detail?}`, often unsigned, so it is read without
// verification and trusted for nothing but choosing what to do next. 4xx is WeChat's "no" to
// this request; 5xx is its own trouble, to retry with the same request ("2 or 3 times will do").

export interface V3ErrorReply {
    readonly status: number;
    /** WeChat's code (SYSTEM_ERROR, ORDER_CLOSED, …); undefined when the body was not WeChat's JSON (a proxy's page). */
    readonly code: string | undefined;
    readonly message: string | undefined;
    /** WeChat's optional detail (field, value, issue, location), as given. */
    readonly detail: unknown;
    /** Whether the same request, sent again later, may succeed. */
    readonly retryable: boolean;
}

/** Codes that say "again, later": WeChat's own trouble or a rate limit, whatever the status. */
const RETRYABLE_CODES = new Set(['SYSTEM_ERROR', 'SYSTEMERROR', 'FREQUENCY_LIMITED', 'BANK_ERROR']);
/**
 * Codes that say "not like this", even where WeChat sends them with a 5xx (INVALID_TRANSACTIONID and
 * OPENID_MISMATCH come as 500): sending the same request again cannot help.
 */
const FINAL_CODES = new Set([
    'PARAM_ERROR', 'INVALID_REQUEST', 'SIGN_ERROR', 'NO_AUTH', 'NOAUTH', 'APPID_MCHID_NOT_MATCH', 'MCH_NOT_EXISTS',
    'ORDER_CLOSED', 'ORDERPAID', 'ORDER_PAID', 'OUT_TRADE_NO_USED', 'ORDER_NOT_EXIST', 'NOT_FOUND', 'RESOURCE_NOT_EXISTS',
    'RULE_LIMIT', 'TRADE_ERROR', 'INVALID_TRANSACTIONID', 'OPENID_MISMATCH', 'ACCOUNTERROR', 'USER_ACCOUNT_ABNORMAL',
    'NOTENOUGH', 'NOT_ENOUGH', 'RESOURCE_ALREADY_EXISTS', 'ALREADY_EXISTS', 'REQUEST_BLOCKED',
]);

const MAX_TEXT = 512;

/** Reads any non-2xx reply; never throws, whatever the body. */
export function readErrorReply(status: number, body: string | Buffer): V3ErrorReply {
    const parsed = parseObject(typeof body === 'string' ? body : body.toString('utf8'));
    const code = text(parsed?.code);
    return {
        status,
        code,
        message: text(parsed?.message),
        detail: parsed?.detail,
        retryable: isRetryable(status, code),
    };
}

export function isRetryable(status: number, code: string | undefined): boolean {
    if (code !== undefined && RETRYABLE_CODES.has(code)) {
        return true;
    }
    if (code !== undefined && FINAL_CODES.has(code)) {
        return false;
    }
    return status >= 500 || status === 429;
}

function parseObject(body: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(body);
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
    }
    catch {
        return undefined;
    }
}

function text(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT) : undefined;
}
