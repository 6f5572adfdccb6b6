import Joi from 'joi';

import { MIN_DISTINCT_CHARACTERS, refusedInProduction, variedEnough, type ConfigSection, type Problem } from './settings';

/** The value .env.example shows; production refuses it, as it refuses the dev default. */
export const EXAMPLE_JWT_SECRET = 'replace-me-with-a-random-string-of-32-or-more-characters';
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-never-use-in-production';

export interface JwtConfig {
    readonly secret: string;
    readonly expiresIn: string;
}

export const jwt: ConfigSection<JwtConfig> = {
    keys: {
        JWT_SECRET: Joi.string().min(32),
        JWT_EXPIRES_IN: Joi.string().pattern(/^\d+(s|m|h|d)$/).message('"JWT_EXPIRES_IN" must be a number with a unit: s, m, h or d (e.g. 7d)').default('7d'),
    },
    problems(settings, { isProduction }) {
        if (!isProduction) {
            return [];
        }
        const secret: string | undefined = settings.JWT_SECRET;
        const problems: Problem[] = [];
        if (secret === undefined) {
            problems.push(refusedInProduction('JWT_SECRET', 'JWT_SECRET is required, at least 32 characters'));
        }
        else if (secret === EXAMPLE_JWT_SECRET || secret === DEV_JWT_SECRET) {
            problems.push(refusedInProduction('JWT_SECRET', 'JWT_SECRET must not be the example or development value'));
        }
        else if (!variedEnough(secret)) {
            problems.push(refusedInProduction('JWT_SECRET', `JWT_SECRET must have at least ${MIN_DISTINCT_CHARACTERS} distinct characters (use a random value)`));
        }
        else if (secret === settings.WX_PAY_API_KEY) {
            problems.push(refusedInProduction(['JWT_SECRET', 'WX_PAY_API_KEY'], 'JWT_SECRET must not be the WeChat Pay API key'));
        }
        return problems;
    },
    read: (settings) => ({ secret: settings.JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: settings.JWT_EXPIRES_IN }),
};
