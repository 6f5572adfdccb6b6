import type { BeijingDay } from './pay-gateway';
import { fromBeijingCompact, toBeijingCompact } from './time';

// WeChat's bills are cut at Beijing midnight (UTC+8, no daylight saving: every day is 24 h).

const DAY_MS = 24 * 60 * 60 * 1000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isBeijingDay(text: string): boolean {
    return DAY.test(text) && fromBeijingCompact(`${text.replaceAll('-', '')}000000`) !== undefined;
}

/** The Beijing day `date` falls on. */
export function beijingDayOf(date: Date): BeijingDay {
    const compact = toBeijingCompact(date);
    return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** The instant the Beijing day begins (16:00 UTC the day before). */
export function startOfBeijingDay(day: BeijingDay): Date {
    const start = isBeijingDay(day) ? fromBeijingCompact(`${day.replaceAll('-', '')}000000`) : undefined;
    if (start === undefined) {
        throw new Error(`${day.slice(0, 16)} is not a YYYY-MM-DD day`);
    }
    return start;
}

export function addBeijingDays(day: BeijingDay, days: number): BeijingDay {
    return beijingDayOf(new Date(startOfBeijingDay(day).getTime() + days * DAY_MS));
}
