import { isIPv4, isIPv6 } from 'node:net';

const GROUPS = 8;
const GROUP_BITS = 16;

/**
 * The network a client is counted by: an IPv4 address as it is (also when written as IPv4-mapped
 * IPv6, `::ffff:1.2.3.4`), an IPv6 address as its first `ipv6PrefixLength` bits, written one way
 * (`2001:db8:1:2::/64`) whatever the spelling. An IPv6 client holds a whole /64, and privacy
 * addresses rotate within it, so counting each address would give one client endless budgets
 * and endless counters. Anything that is not an address is returned as given.
 */
export function clientNetwork(address: string, ipv6PrefixLength: number): string {
    if (isIPv4(address) || !isIPv6(address)) {
        return address;
    }
    const groups = ipv6Groups(address);
    if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
        return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
    }
    const kept = groups.slice(0, Math.ceil(ipv6PrefixLength / GROUP_BITS)).map((group, index) => {
        const bitsLeft = ipv6PrefixLength - index * GROUP_BITS;
        return bitsLeft >= GROUP_BITS ? group : group & (0xffff << (GROUP_BITS - bitsLeft)) & 0xffff;
    });
    return `${kept.map((group) => group.toString(16)).join(':')}${kept.length < GROUPS ? '::' : ''}/${ipv6PrefixLength}`;
}

/** The eight 16-bit groups of an address isIPv6 accepted (`::` expanded, a dotted tail as two groups, a zone dropped). */
function ipv6Groups(address: string): number[] {
    const [head = '', tail] = address.split('%')[0]!.split('::');
    const parse = (part: string) => part.split(':').filter(Boolean).flatMap((piece) => {
        if (!piece.includes('.')) {
            return [Number.parseInt(piece, 16)];
        }
        const [a, b, c, d] = piece.split('.').map(Number);
        return [(a! << 8) | b!, (c! << 8) | d!];
    });
    const first = parse(head);
    const last = tail === undefined ? [] : parse(tail);
    return [...first, ...Array<number>(GROUPS - first.length - last.length).fill(0), ...last];
}
