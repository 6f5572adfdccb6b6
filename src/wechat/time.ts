const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** WeChat's `yyyyMMddHHmmss`, always in Beijing time (UTC+8), whatever this server's zone. */
export function toBeijingCompact(date: Date): string {
    return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Reads WeChat's `yyyyMMddHHmmss` (Beijing time); undefined when it is not one. */
export function fromBeijingCompact(text: string): Date | undefined {
    const match = COMPACT.exec(text);
    if (!match) {
        return undefined;
    }
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS);
    return toBeijingCompact(date) === text ? date : undefined;
}

/** `wx.requestPayment` wants whole seconds since the epoch, as a string. */
export function unixSeconds(date: Date): string {
    return String(Math.floor(date.getTime() / 1000));
}

/** WeChat's `yyyy-MM-dd HH:mm:ss` (refund success_time, the bill's 交易时间), in Beijing time. */
export function toBeijingDateTime(date: Date): string {
    const compact = toBeijingCompact(date);
    return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)} ${compact.slice(8, 10)}:${compact.slice(10, 12)}:${compact.slice(12, 14)}`;
}

/** Reads WeChat's `yyyy-MM-dd HH:mm:ss` (Beijing time); undefined when it is not one. */
export function fromBeijingDateTime(text: string): Date | undefined {
    return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? fromBeijingCompact(text.replace(/\D/g, '')) : undefined;
}

/** RFC 3339 in Beijing time (`2026-12-01T10:00:00+08:00`): the order-shipping service's upload_time, and every APIv3 time. */
export function toBeijingRfc3339(date: Date): string {
    return `${toBeijingDateTime(date).replace(' ', 'T')}+08:00`;
}

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads an RFC 3339 time with its offset (APIv3 writes `2026-12-07T18:30:00+08:00`; `Z` and other
 * offsets mean what they say); undefined when it is not one or names a day or time that does not exist.
 */
export function fromRfc3339(text: string): Date | undefined {
    const match = RFC_3339.exec(text);
    if (!match) {
        return undefined;
    }
    const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const wallClock = new Date(Date.UTC(year, month - 1, day, hour, minute, second, Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3))));
    const exists = wallClock.getUTCFullYear() === year && wallClock.getUTCMonth() === month - 1 && wallClock.getUTCDate() === day
        && wallClock.getUTCHours() === hour && wallClock.getUTCMinutes() === minute && wallClock.getUTCSeconds() === second;
    const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
    if (!exists || offsetHours > 23 || offsetMinutes > 59) {
        return undefined;
    }
    const offsetMs = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60 * 1000;
    return new Date(wallClock.getTime() - offsetMs);
}
