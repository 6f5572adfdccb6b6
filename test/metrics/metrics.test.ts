import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bearer, startTestApp, type TestApp } from '../helpers/app';
import { notify, placeOrder, requestPaymentFor } from '../helpers/shopper';
import { PRODUCTION_ENV } from '../helpers/production-env';

// GET /metrics: Prometheus text, with requests by route template, WeChat calls by API and
// outcome, and stored orders and notifications counted from the database at scrape time.

// The test's own database, not the production one the shared configuration names.
const { DATABASE_URL: _productionDatabase, ...productionSecrets } = PRODUCTION_ENV;
const PRODUCTION = { ...productionSecrets, WX_PAY_BASE_URL: 'https://api.mch.weixin.qq.com', DB_AUTO_MIGRATE: 'true' };
const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics in development', () => {
    let app: TestApp;
    let text: string;
    let contentType: string;

    before(async () => {
        app = await startTestApp();
        const { token } = await app.login();
        const order = await placeOrder(app, token);
        await placeOrder(app, token);
        await requestPaymentFor(app, token, order.id);
        assert.equal((await app.inject({ method: 'GET', url: `/orders/${order.id}`, headers: bearer(token) })).statusCode, 200);
        assert.equal((await notify(app, '<xml><return_code>SUCCESS</return_code><sign>00</sign></xml>')).statusCode, 400);
        const response = await app.inject({ method: 'GET', url: '/metrics' });
        assert.equal(response.statusCode, 200);
        text = response.payload;
        contentType = String(response.headers['content-type']);
    });

    after(async () => {
        await app.stop();
    });

    it('answers in Prometheus text format, without a token', () => {
        assert.match(contentType, /^text\/plain; version=0\.0\.4/);
        assert.match(text, /^# HELP http_requests_total /m);
        assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    });

    it('counts requests by route template, method and status, never by raw URL', () => {
        assert.equal(sample(text, 'http_requests_total{route="/orders/{orderId}",method="GET",status="200"}'), 1);
        assert.equal(sample(text, 'http_requests_total{route="/orders",method="POST",status="201"}'), 2);
        assert.equal(sample(text, 'http_requests_total{route="/orders/pay/notify",method="POST",status="400"}'), 1);
        assert.ok((sample(text, 'http_request_duration_seconds_count{route="/orders",method="POST",status="201"}') ?? 0) === 2);
        assert.doesNotMatch(text, /route="\/orders\/\d/);
    });

    it('counts calls to WeChat by API and outcome, with their latency', () => {
        assert.equal(sample(text, 'wechat_calls_total{api="sns/jscode2session",outcome="ok"}'), 1);
        assert.equal(sample(text, 'wechat_calls_total{api="pay/unifiedorder",outcome="ok"}'), 1);
        assert.equal(sample(text, 'wechat_call_duration_seconds_count{api="pay/unifiedorder",outcome="ok"}'), 1);
    });

    it('reads orders by status and notifications by outcome from the database', () => {
        assert.equal(sample(text, 'shop_orders{status="unpaid"}'), 2);
        assert.equal(sample(text, 'shop_payment_notifications{outcome="rejected"}'), 1);
    });

    it('is left out of the request logs and of Swagger', async () => {
        assert.equal(app.logs.filter((line) => line.includes('"path":"/metrics"')).length, 0);
        const swagger = JSON.parse((await app.inject({ method: 'GET', url: '/swagger.json' })).payload) as { paths: Record<string, unknown> };
        assert.equal(swagger.paths['/metrics'], undefined);
    });
});

describe('GET /metrics with METRICS_TOKEN', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false, env: { ...PRODUCTION, METRICS_TOKEN: TOKEN } });
    });
    after(async () => {
        await app.stop();
    });

    it('in production answers only the Bearer token: 401 without it or with another', async () => {
        const refused = await app.inject({ method: 'GET', url: '/metrics' });
        assert.equal(refused.statusCode, 401);
        assert.deepEqual(Object.keys(JSON.parse(refused.payload)).sort(), ['error', 'message', 'statusCode']);
        assert.equal((await app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${TOKEN}x`) })).statusCode, 401);
        assert.equal((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: TOKEN } })).statusCode, 401);
        const allowed = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
        assert.equal(allowed.statusCode, 200);
        assert.match(allowed.payload, /shop_orders/);
    });
});

describe('GET /metrics in production without METRICS_TOKEN', () => {
    let app: TestApp;
    before(async () => {
        app = await startTestApp({ listen: false, env: PRODUCTION });
    });
    after(async () => {
        await app.stop();
    });

    it('does not exist (404)', async () => {
        assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
    });
});
