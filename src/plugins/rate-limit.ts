import Boom from '@hapi/boom';
import type { Plugin, Request } from '@hapi/hapi';
import type { Logger } from 'pino';

import type { AppConfig } from '../config';
import { clientIp } from '../routes/client-ip';
import { RateLimiter, type Caller, type RateLimitRule, type RateLimitScope } from '../services/rate-limiter';
import { MemoryRateLimitStore } from '../services/rate-limit-store-memory';
import { RedisRateLimitStore } from '../services/rate-limit-store-redis';

declare module '@hapi/hapi' {
    interface PluginSpecificConfiguration {
        /**
         * The budget this route's requests are counted against (RATE_LIMIT_*); answered 429 once
         * spent. With `user`, the per-user budget counts what it reads from the (validated) request
         * instead of the signed-in shopper: a sign-in's name.
         */
        rateLimit?: RateLimitRule | { readonly rule: RateLimitRule; readonly user: (request: Request) => string | undefined };
    }
    interface Request {
        /** Counts one `rule` for the caller, for work a handler does only sometimes; false once the budget is spent. */
        withinRateLimit(rule: RateLimitRule): Promise<boolean>;
    }
}

const WHAT: Readonly<Record<RateLimitRule, string>> = {
    login: 'sign-ins',
    orders: 'new orders',
    pay: 'payment requests',
    orderQuery: 'order checks with WeChat',
    staffLogin: 'sign-in attempts',
};
const WHO: Readonly<Record<RateLimitScope, string>> = { perUser: 'this user', perIp: 'this address' };

/**
 * Rate limits on the routes that name a budget in `options.plugins.rateLimit`. Counted just
 * before the handler: after authentication, so per-user budgets know the user, and after
 * validation, so only requests that would do the costly work spend a budget. Counters are
 * shared through Redis when REDIS_URL is set, otherwise kept in this process.
 */
export const rateLimitPlugin: Plugin<{ config: AppConfig; logger: Logger }> = {
    name: 'app-rate-limit',
    register(server, { config, logger }) {
        const redis = config.rateLimit.redis ? new RedisRateLimitStore(config.rateLimit.redis) : undefined;
        const limiter = new RateLimiter(redis ?? new MemoryRateLimitStore(), config.rateLimit, logger);
        const callerOf = (request: Request): Caller => ({
            userId: request.auth.credentials?.user?.id,
            ip: clientIp(request, config.server.trustedProxies),
        });

        server.decorate('request', 'withinRateLimit', async function (this: Request, rule: RateLimitRule) {
            return (await limiter.check(rule, callerOf(this))).allowed;
        });

        server.ext('onPreHandler', async (request, h) => {
            const setting = request.route.settings.plugins?.rateLimit;
            if (setting === undefined) {
                return h.continue;
            }
            const rule = typeof setting === 'string' ? setting : setting.rule;
            const caller = typeof setting === 'string' ? callerOf(request) : { ...callerOf(request), userId: setting.user(request) };
            const verdict = await limiter.check(rule, caller);
            if (!verdict.allowed) {
                const error = Boom.tooManyRequests(`too many ${WHAT[rule]} from ${WHO[verdict.scope]}: at most ${verdict.limit} `
                    + `every ${limiter.windowSeconds} s; try again in ${verdict.retryAfterSeconds} s`);
                error.output.headers['Retry-After'] = String(verdict.retryAfterSeconds);
                throw error;
            }
            return h.continue;
        });

        server.ext('onPreStart', async () => {
            if (redis && !(await redis.connected())) {
                logger.warn('rate limit Redis not reachable at start; requests are not limited until it is');
            }
        });
        server.ext('onPostStop', () => limiter.close());
    },
};
