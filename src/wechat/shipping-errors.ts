// What the order-shipping service's errcodes mean for a shipment: a reason the merchant can act
// on, and whether trying the same upload again later can succeed.

export interface ShippingFailure {
    readonly reason: string;
    /** True: WeChat (or the road to it) was busy or the token stale; the upload is tried again later. */
    readonly retryable: boolean;
}

const FAILURES: Readonly<Record<number, ShippingFailure>> = {
    [-1]: { reason: 'WeChat was busy; the upload is retried', retryable: true },
    40001: { reason: "WeChat refused the access token even after a refresh; the upload is retried", retryable: true },
    42001: { reason: 'the access token expired even after a refresh; the upload is retried', retryable: true },
    45009: { reason: "the mini-program reached WeChat's daily call limit; the upload is retried", retryable: true },
    45011: { reason: 'WeChat is rate-limiting the mini-program; the upload is retried', retryable: true },
    10060012: { reason: 'WeChat was busy; the upload is retried', retryable: true },
    10060019: { reason: 'WeChat was busy; the upload is retried', retryable: true },
    48001: { reason: "the mini-program does not have WeChat's order-shipping service (api unauthorized)", retryable: false },
    10060001: { reason: 'WeChat knows no payment with this transaction_id', retryable: false },
    10060002: { reason: 'WeChat already completed the shipping of this payment', retryable: false },
    10060003: { reason: "WeChat's one correction (re-upload) of this shipment is already used", retryable: false },
    10060004: { reason: 'the payment can no longer be shipped at WeChat (refunded, or receipt already confirmed)', retryable: false },
    10060005: { reason: 'WeChat refused the logistics type', retryable: false },
    10060008: { reason: 'WeChat needs an item description', retryable: false },
    10060009: { reason: 'the item description is longer than WeChat accepts (120 characters)', retryable: false },
    10060014: { reason: 'WeChat refused a field of the upload (payer, tracking number or express company)', retryable: false },
};

/** The meaning of WeChat's errcode for an upload; an errcode not listed is a refusal to show as is. */
export function shippingFailureOf(errcode: number): ShippingFailure {
    return FAILURES[errcode] ?? { reason: `WeChat refused the upload (errcode ${errcode})`, retryable: false };
}
