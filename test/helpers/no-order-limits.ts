/**
 * For scenarios that make many orders and payments as one user from one address on purpose
 * (bursts, lost notifications, shutdown under load, the benchmark): the rate limits and the
 * unpaid-order cap would refuse them, which is not what those scenarios are about.
 */
export const NO_ORDER_LIMITS: Readonly<Record<string, string>> = {
    RATE_LIMIT_ORDERS_PER_USER: '0',
    RATE_LIMIT_ORDERS_PER_IP: '0',
    RATE_LIMIT_PAY_PER_USER: '0',
    RATE_LIMIT_PAY_PER_IP: '0',
    ORDER_MAX_UNPAID_PER_USER: '0',
};
