import type { Logger } from 'pino';

import type { AlertStore } from '../db/alerts';
import type { Alert } from '../models';
import { ALERT_DETAILS_MAX_CHARACTERS, ALERT_MESSAGE_MAX_CHARACTERS } from '../models/alert';
import { requestContext } from '../request-context';

/** The alerts table keeps the newest this many; older ones go, a hundred at a time. */
export const ALERTS_KEPT = 10_000;
const TRIM_EVERY = 100;

/** Logger methods an alert is written with. */
const ALERTING_LEVELS = new Set<string | symbol>(['fatal', 'error', 'warn']);

/**
 * The `alert.*` events the services log, kept in the alerts table for the console. The services
 * go on logging as they do (the log stays the first place alerts land); `tap` wraps the app's
 * logger so every line whose `event` starts with `alert.` is also written here. Writing never
 * blocks or fails the code that raised the alert: a failed write is a warning in the log.
 */
export class AlertLog {
    constructor(
        private readonly store: AlertStore,
        private readonly logger: Logger,
    ) {}

    /** The logger the services are given: the same logger, with alert lines also recorded. */
    tap(logger: Logger): Logger {
        return new Proxy(logger, {
            get: (target, property, receiver) => {
                const value = Reflect.get(target, property, receiver);
                if (property === 'child') {
                    return (bindings: Record<string, unknown>) => this.tap(target.child(bindings));
                }
                if (!ALERTING_LEVELS.has(property) || typeof value !== 'function') {
                    return value;
                }
                return (fields: unknown, ...rest: unknown[]) => {
                    this.observe(fields, rest[0]);
                    return (value as (...args: unknown[]) => unknown).call(target, fields, ...rest);
                };
            },
        });
    }

    /** Newest first. */
    page(limit: number, beforeId?: number, event?: string): Promise<Alert[]> {
        return this.store.page(limit, beforeId, event);
    }

    private observe(fields: unknown, message: unknown): void {
        if (typeof fields !== 'object' || fields === null) {
            return;
        }
        const { event, alert, ...details } = fields as Record<string, unknown>;
        if (typeof event !== 'string' || !event.startsWith('alert.')) {
            return;
        }
        void this.record({
            event: event.slice(0, 64),
            kind: typeof alert === 'string' ? alert.slice(0, 64) : null,
            message: (typeof message === 'string' ? message : event).slice(0, ALERT_MESSAGE_MAX_CHARACTERS),
            details: JSON.stringify(details).slice(0, ALERT_DETAILS_MAX_CHARACTERS),
            requestId: requestContext.getStore()?.requestId ?? null,
        });
    }

    private async record(values: Parameters<AlertStore['append']>[0]): Promise<void> {
        try {
            const id = await this.store.append(values);
            if (id % TRIM_EVERY === 0 && id > ALERTS_KEPT) {
                await this.store.dropUpTo(id - ALERTS_KEPT);
            }
        }
        catch (error) {
            this.logger.warn({ event: 'alerts.not_recorded', alertEvent: values.event, err: (error as Error).message }, 'an alert was logged but not recorded for the console');
        }
    }
}
