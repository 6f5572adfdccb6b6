import Joi from 'joi';

import { boolean, refusedInProduction, type ConfigSection, type Settings } from './settings';

export interface SimulatorConfig {
    /** Mounted in-process under /__wechat. Never in production. */
    readonly enabled: boolean;
    /** Port of the standalone simulator (npm run simulator). */
    readonly port: number;
    /** Real-time seconds per simulated second: 0.001 runs WeChat's notify retry schedule in milliseconds. */
    readonly timeScale: number;
    /** How many senders deliver each notification at once, as WeChat sometimes does. */
    readonly notifyDuplicates: number;
    readonly notifyTimeoutMs: number;
    /** The HTTPS listener for /secapi (client certificates); 0: any free port. */
    readonly tlsPort: number;
}

/** On outside production until a real WeChat Pay URL is given; WECHAT_SIMULATOR decides when set. */
export function simulatorEnabled(settings: Settings, isProduction: boolean): boolean {
    return settings.WECHAT_SIMULATOR ?? (!isProduction && settings.WX_PAY_BASE_URL === undefined);
}

export const simulator: ConfigSection<SimulatorConfig> = {
    keys: {
        WECHAT_SIMULATOR: boolean(),
        SIMULATOR_PORT: Joi.number().integer().min(0).max(65535).default(3100),
        SIMULATOR_TIME_SCALE: Joi.number().positive().max(1).default(1),
        SIMULATOR_NOTIFY_DUPLICATES: Joi.number().integer().min(1).max(20).default(1),
        SIMULATOR_NOTIFY_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
        SIMULATOR_TLS_PORT: Joi.number().integer().min(0).max(65535).default(3443),
    },
    problems: (_settings, context) => (context.isProduction && context.simulatorEnabled
        ? [refusedInProduction('WECHAT_SIMULATOR', 'WECHAT_SIMULATOR cannot be on')]
        : []),
    read: (settings, context) => ({
        enabled: context.simulatorEnabled,
        port: settings.SIMULATOR_PORT,
        timeScale: settings.SIMULATOR_TIME_SCALE,
        notifyDuplicates: settings.SIMULATOR_NOTIFY_DUPLICATES,
        notifyTimeoutMs: settings.SIMULATOR_NOTIFY_TIMEOUT_MS,
        tlsPort: settings.SIMULATOR_TLS_PORT,
    }),
};
