import { isIP } from 'node:net';

import type { Request } from '@hapi/hapi';

const normalise = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The payer's address for unifiedorder's spbill_create_ip. X-Forwarded-For is believed
 * only as far back as it was written by our own trusted proxies; anyone can send the header.
 */
export function clientIp(request: Request, trustedProxies: readonly string[]): string {
    const trusted = new Set(trustedProxies.map(normalise));
    let address = normalise(request.info.remoteAddress);
    const header: unknown = request.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : typeof header === 'string' ? header : '').split(',').map(normalise).filter(Boolean);
    while (trusted.has(address) && forwarded.length > 0) {
        const previous = forwarded.pop()!;
        if (!isIP(previous)) {
            break;
        }
        address = previous;
    }
    return address;
}

/** True when the request came straight from one of our own proxies, whose headers we may believe. */
export function fromTrustedProxy(request: Request, trustedProxies: readonly string[]): boolean {
    return trustedProxies.map(normalise).includes(normalise(request.info.remoteAddress));
}
