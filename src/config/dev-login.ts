import { EXAMPLE_JWT_SECRET } from './jwt';
import { boolean, problem, refusedInProduction, type ConfigSection, type Problem, type Settings } from './settings';
import { EXAMPLE_MERCHANT } from './wechat';

/** POST /users/createJWT, the tutorial's test token: on outside production unless DEV_LOGIN says otherwise. */
export function devLoginEnabled(settings: Settings, isProduction: boolean): boolean {
    return settings.DEV_LOGIN ?? !isProduction;
}

export const devLogin: ConfigSection<boolean> = {
    keys: {
        DEV_LOGIN: boolean(),
    },
    problems(settings, context) {
        const problems: Problem[] = context.isProduction && context.devLogin ? [refusedInProduction('DEV_LOGIN', 'DEV_LOGIN cannot be on')] : [];
        // Production refuses each convenience on its own (here, in simulator.ts and jwt.ts): saying it twice would not help.
        const beside = context.process === 'api' && !context.isProduction ? convenienceBesideRealMerchant(settings, context) : undefined;
        return beside === undefined ? problems : [...problems, beside];
    },
    read: (_settings, context) => context.devLogin,
};

/**
 * Development conveniences never run beside a real merchant, whatever NODE_ENV says: the
 * in-process simulator would sign "payments" with the real key, the dev login would mint
 * tokens for anyone, and the default JWT secret is in the source.
 */
function convenienceBesideRealMerchant(settings: Settings, { simulatorEnabled, devLogin }: { simulatorEnabled: boolean; devLogin: boolean }): Problem | undefined {
    const realSecret = settings.WX_PAY_API_KEY !== undefined && settings.WX_PAY_API_KEY !== EXAMPLE_MERCHANT.apiKey ? 'WX_PAY_API_KEY'
        : settings.WX_SECRET !== undefined && settings.WX_SECRET !== EXAMPLE_MERCHANT.appSecret ? 'WX_SECRET'
            : undefined;
    if (realSecret === undefined) {
        return undefined;
    }
    const [variable, convenience] = simulatorEnabled ? ['WECHAT_SIMULATOR', 'the in-process WeChat simulator (set WECHAT_SIMULATOR=false)']
        : devLogin ? ['DEV_LOGIN', 'the dev login (set DEV_LOGIN=false)']
            : settings.JWT_SECRET === undefined || settings.JWT_SECRET === EXAMPLE_JWT_SECRET ? ['JWT_SECRET', 'the default JWT secret (set JWT_SECRET to a random value)']
                : [];
    return convenience === undefined ? undefined : problem([realSecret, variable!], `${realSecret} is not the example merchant's, so ${convenience} cannot be used`);
}
