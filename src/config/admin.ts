import Joi from 'joi';

import { MIN_DISTINCT_CHARACTERS, refusedInProduction, variedEnough, type ConfigSection, type Problem } from './settings';
import { isExampleMerchant } from './wechat';

/** The merchant API's key on a development machine with the example merchant (README says so); never anywhere else. */
export const DEV_ADMIN_API_KEY = 'dev-admin-key-for-the-example-merchant-only';

/**
 * The merchant API under /admin, behind `Authorization: Bearer <apiKey>`; undefined (the routes
 * do not exist) when ADMIN_API_KEY is unset, except in development with the example merchant.
 */
export type AdminConfig = { readonly apiKey: string } | undefined;

export const admin: ConfigSection<AdminConfig> = {
    keys: {
        ADMIN_API_KEY: Joi.string().min(32).max(256),
    },
    problems(settings, { isProduction }) {
        const key: string | undefined = settings.ADMIN_API_KEY;
        const problems: Problem[] = [];
        if (!isProduction || key === undefined) {
            return problems;
        }
        if (key === DEV_ADMIN_API_KEY || !variedEnough(key)) {
            problems.push(refusedInProduction('ADMIN_API_KEY', `ADMIN_API_KEY must be a random value of at least 32 characters (${MIN_DISTINCT_CHARACTERS} distinct), not the development one`));
        }
        if (key === settings.JWT_SECRET || key === settings.WX_PAY_API_KEY) {
            problems.push(refusedInProduction('ADMIN_API_KEY', 'ADMIN_API_KEY must not be the JWT secret or the WeChat Pay API key'));
        }
        return problems;
    },
    /** A real merchant's shop gets no default key, so its merchant API is off until one is set. */
    read: (settings, { isProduction }) => {
        if (typeof settings.ADMIN_API_KEY === 'string') {
            return { apiKey: settings.ADMIN_API_KEY };
        }
        return !isProduction && isExampleMerchant(settings) ? { apiKey: DEV_ADMIN_API_KEY } : undefined;
    },
};
