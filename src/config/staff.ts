import Joi from 'joi';

import { MIN_DISTINCT_CHARACTERS, refusedInProduction, variedEnough, type ConfigSection, type Problem } from './settings';

/** The value .env.example shows; production refuses it, as it refuses the development default. */
export const EXAMPLE_STAFF_SESSION_SECRET = 'replace-me-with-another-random-string-of-32-or-more';
export const DEV_STAFF_SESSION_SECRET = 'dev-only-staff-session-secret-never-in-production';

/** The secrets a staff session secret must differ from: one leaked must not open the other. */
const OTHER_SECRETS = ['JWT_SECRET', 'WX_PAY_API_KEY', 'ADMIN_API_KEY'] as const;

export interface StaffConfig {
    /** Seals (encrypts and signs, with iron) the staff session cookie and nothing else. */
    readonly sessionSecret: string;
    /** A session unused this long ends. */
    readonly idleTimeoutMs: number;
    /** A session ends this long after sign-in, however busy. */
    readonly absoluteTimeoutMs: number;
    /** The cookies carry `Secure` (PUBLIC_URL is https). */
    readonly secureCookies: boolean;
}

export const staff: ConfigSection<StaffConfig> = {
    keys: {
        STAFF_SESSION_SECRET: Joi.string().min(32),
        STAFF_SESSION_IDLE_MINUTES: Joi.number().integer().min(1).max(24 * 60).default(30),
        STAFF_SESSION_MAX_HOURS: Joi.number().integer().min(1).max(7 * 24).default(12),
    },
    problems(settings, { isProduction }) {
        const problems: Problem[] = [];
        if (settings.STAFF_SESSION_IDLE_MINUTES > settings.STAFF_SESSION_MAX_HOURS * 60) {
            problems.push({ variables: ['STAFF_SESSION_IDLE_MINUTES', 'STAFF_SESSION_MAX_HOURS'], message: 'STAFF_SESSION_IDLE_MINUTES must not exceed STAFF_SESSION_MAX_HOURS' });
        }
        if (!isProduction) {
            return problems;
        }
        const secret: string | undefined = settings.STAFF_SESSION_SECRET;
        if (secret === undefined) {
            problems.push(refusedInProduction('STAFF_SESSION_SECRET', 'STAFF_SESSION_SECRET is required, at least 32 characters'));
        }
        else if (secret === EXAMPLE_STAFF_SESSION_SECRET || secret === DEV_STAFF_SESSION_SECRET) {
            problems.push(refusedInProduction('STAFF_SESSION_SECRET', 'STAFF_SESSION_SECRET must not be the example or development value'));
        }
        else if (!variedEnough(secret)) {
            problems.push(refusedInProduction('STAFF_SESSION_SECRET', `STAFF_SESSION_SECRET must have at least ${MIN_DISTINCT_CHARACTERS} distinct characters (use a random value)`));
        }
        else {
            const shared = OTHER_SECRETS.find((name) => settings[name] === secret);
            if (shared !== undefined) {
                problems.push(refusedInProduction(['STAFF_SESSION_SECRET', shared], `STAFF_SESSION_SECRET must not be ${shared}'s value`));
            }
        }
        return problems;
    },
    read: (settings) => ({
        sessionSecret: settings.STAFF_SESSION_SECRET ?? DEV_STAFF_SESSION_SECRET,
        idleTimeoutMs: settings.STAFF_SESSION_IDLE_MINUTES * 60_000,
        absoluteTimeoutMs: settings.STAFF_SESSION_MAX_HOURS * 3_600_000,
        secureCookies: publicUrlIsHttps(settings),
    }),
};

/** PUBLIC_URL's scheme, as observability reads it (else WX_PAY_NOTIFY_URL's): cookies sent only over https there. */
function publicUrlIsHttps(settings: Record<string, unknown>): boolean {
    const url = (settings.PUBLIC_URL ?? settings.WX_PAY_NOTIFY_URL) as string | undefined;
    return url !== undefined && new URL(url).protocol === 'https:';
}
