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

/** RFC 3339 in Beijing time (`2026-12-01T10:00:00+08:00`): the order-shipping service's upload_time. */
export function toBeijingRfc3339(date: Date): string {
    return `${toBeijingDateTime(date).replace(' ', 'T')}+08:00`;
}
