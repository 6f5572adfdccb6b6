import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Server } from '@hapi/hapi';
import fc from 'fast-check';

import { createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createServer } from '../src/server';
import { SIGN_TYPES, sign, verify, type SignType } from '../src/wechat/sign';
import { buildWxXml, parseWxXml } from '../src/wechat/xml';
import { count, scenario, witness } from './support/figures';
import { attempt, freePort } from './support/http';
import { newCredentials } from './support/processes';
import { Shop, type OrderView } from './support/shop';
import { openStore, orderById, retireStore, type Store } from './support/store';

// Properties over many random cases, every loop bounded by runs and by time: the signature
// rule round-trips whatever the values; no mutation of a genuine notification is accepted by
// the live server; and no random request to any route gets a 500. The server runs in this
// process (createServer + start) and is driven over HTTP.

const TIME_LIMIT_MS = 40_000;
/** Names as WeChat's are (a lone `_` is xml2js's text key, which parseWxXml rightly refuses as a field). */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,20}$/;

const fieldName = fc.stringMatching(FIELD_NAME).filter((name) => name !== 'sign');
/** Values WeChat's rule must survive: any Unicode, empty, and the rule's own separators. */
const value = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom('', '=', '&', 'a=b&c=d', '&key=', ' ', ']]>', '<xml>', '微信支付', '😀'),
);
const params = fc.dictionary(fieldName, value, { minKeys: 1, maxKeys: 12 });
const signType = fc.constantFrom<SignType>(...SIGN_TYPES);

const settings = (numRuns: number) => ({ numRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });

describe('the WeChat Pay signature rule (src/wechat/sign.ts)', () => {
    before(() => scenario('property: sign/verify round trip'));

    it('verifies what it signs, whatever the values and the order of the fields', () => {
        fc.assert(fc.property(params, signType, fc.string({ minLength: 32, maxLength: 32, unit: 'binary-ascii' }), (fields, type, key) => {
            const signed = { ...fields, sign: sign(fields, key, type) };
            const reversed = Object.fromEntries(Object.entries(fields).reverse());
            return verify(signed, key, type) && sign(reversed, key, type) === signed.sign;
        }), settings(500));
    });

    it('survives the trip through XML and UTF-8 bytes, as a notification travels', async () => {
        await fc.assert(fc.asyncProperty(params, signType, async (fields, type) => {
            const xml = buildWxXml({ ...fields, sign: sign(fields, 'k'.repeat(32), type) });
            const parsed = await parseWxXml(Buffer.from(xml, 'utf8'));
            assert.ok(verify(parsed, 'k'.repeat(32), type), xml);
        }), settings(300));
    });

    it('fails to verify once any one field changes, disappears, or is added with a value', () => {
        const change = fc.record({ fields: params, type: signType, victim: fc.nat(), replacement: value, added: fc.tuple(fieldName, value.filter((text) => text !== '')) });
        fc.assert(fc.property(change, ({ fields, type, victim, replacement, added }) => {
            const key = 'k'.repeat(32);
            const signed = { ...fields, sign: sign(fields, key, type) };
            const names = Object.keys(fields);
            const name = names[victim % names.length]!;
            const changed = fields[name] === replacement || (fields[name] === '' && replacement === '') ? true : !verify({ ...signed, [name]: replacement }, key, type);
            const removed = fields[name] === '' ? true : !verify(Object.fromEntries(Object.entries(signed).filter(([other]) => other !== name)), key, type);
            const addedOne = added[0] in fields ? true : !verify({ ...signed, [added[0]]: added[1] }, key, type);
            return changed && removed && addedOne;
        }), settings(500));
    });
});

describe('the live server, given random input', () => {
    let database: TestDatabase;
    let store: Store;
    let server: Server;
    let url: string;
    let shop: Shop;
    let token: string;

    before(async () => {
        scenario('property: notification mutations and route fuzzing');
        database = await createSqliteDatabase();
        // The in-process simulator runs only beside the example merchant's key and app secret
        // (src/config/dev-login.ts refuses a real merchant's there): the merchant's ids and the JWT secret are our own.
        const { WX_APPID, WX_MCHID, JWT_SECRET } = newCredentials();
        const config = loadConfig({
            WX_APPID,
            WX_MCHID,
            JWT_SECRET,
            NODE_ENV: 'test',
            LOG_LEVEL: 'info',
            HOST: '127.0.0.1',
            PORT: String(await freePort()),
            DATABASE_URL: database.url,
            WECHAT_SIMULATOR: 'true',
            // The simulator's /secapi listener on a free port, not 3443 (a developer's npm start may hold it).
            SIMULATOR_TLS_PORT: '0',
            WX_PAY_NOTIFY_URL: `http://127.0.0.1:${await freePort()}/nowhere`,
            RECONCILE_INTERVAL_MS: '0',
        });
        const logger = createLogger(config, { write: (line: string) => void witness('in-process app', line.trimEnd()) });
        server = await createServer(config, { logger });
        await server.start();
        url = server.info.uri;
        store = await openStore(database.url);
        shop = new Shop(url, `${url}/__wechat`);
        ({ token } = await shop.login(`props.${Date.now()}`));
    });

    after(async () => {
        await server?.stop({ timeout: 2000 });
        await retireStore(store);
        await database?.drop();
    });

    it('accepts no mutation of a genuine notification: the answer is FAIL and the order stays unpaid', async () => {
        const order: OrderView = await shop.placeOrder(token);
        await shop.payInWechat(await shop.requestPayment(token, order.id));
        const genuine = await shop.genuineNotification(order.out_trade_no);
        const fields = await parseWxXml(genuine);
        const names = Object.keys(fields);

        const mutation = fc.oneof(
            fc.record({ kind: fc.constant('change' as const), name: fc.constantFrom(...names), to: value }).filter(({ name, to }) => fields[name] !== to),
            fc.record({ kind: fc.constant('delete' as const), name: fc.constantFrom(...names) }),
            fc.record({ kind: fc.constant('add' as const), name: fieldName.filter((name) => !(name in fields)), to: value.filter((text) => text !== '') }),
            fc.record({ kind: fc.constant('rename' as const), name: fc.constantFrom(...names), to: fieldName.filter((name) => !(name in fields)) }),
            fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: genuine.length - 1 }), to: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) })
                .filter(({ at, to }) => genuine[at] !== to),
        );
        type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
        const apply = (xml: string, changed: Record<string, string>, step: Mutation): [string, Record<string, string>] => {
            switch (step.kind) {
                case 'change':
                    return [buildWxXml({ ...changed, [step.name]: step.to }), { ...changed, [step.name]: step.to }];
                case 'delete': {
                    const { [step.name]: _gone, ...rest } = changed;
                    return [buildWxXml(rest), rest];
                }
                case 'add':
                    return [buildWxXml({ ...changed, [step.name]: step.to }), { ...changed, [step.name]: step.to }];
                case 'rename': {
                    const { [step.name]: moved, ...rest } = changed;
                    return [buildWxXml({ ...rest, [step.to]: moved ?? '' }), { ...rest, [step.to]: moved ?? '' }];
                }
                case 'flip':
                    return [`${xml.slice(0, step.at)}${step.to}${xml.slice(step.at + 1)}`, changed];
            }
        };

        const accepted: string[] = [];
        await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (steps) => {
            let body = genuine;
            let changed: Record<string, string> = { ...fields };
            for (const step of steps) {
                [body, changed] = apply(body, changed, step);
            }
            // Steps that happen to cancel out (a value changed, then changed back) leave the genuine notification: not a mutation.
            const signed = (record: Record<string, string>) => JSON.stringify(Object.entries(record).filter(([, text]) => text !== '').sort());
            fc.pre(steps.some((step) => step.kind === 'flip') || signed(changed) !== signed(fields));
            count('hostile');
            const answer = await shop.notify(body);
            const row = await orderById(store, order.id);
            if (row.status !== 'unpaid') {
                count('wrongOrders');
                accepted.push(body);
            }
            assert.equal(row.status, 'unpaid', `accepted: ${JSON.stringify(steps)}`);
            assert.ok(answer.status === 400 && answer.returnCode === 'FAIL', `answered ${answer.status} ${answer.text} to ${JSON.stringify(steps)}`);
        }), settings(400));
        assert.deepEqual(accepted, []);

        const real = await shop.notify(genuine);
        assert.equal(real.returnCode, 'SUCCESS', 'the genuine notification itself is still accepted');
    });

    it('never answers 500 to random requests on any route in the route table', async () => {
        const routes = server.table().map((route) => ({ method: route.method.toUpperCase(), path: route.path }))
            .filter((route) => route.method !== '*');
        assert.ok(routes.length >= 12, `the route table: ${JSON.stringify(routes)}`);
        const { token: validToken } = await shop.login(`fuzz.${Date.now()}`);

        const segment = fc.oneof(
            fc.string({ unit: 'binary', maxLength: 16 }).map(encodeURIComponent),
            fc.constantFrom('0', '-1', '1', '2147483648', '1e3', '0x10', '1.5', '%ZZ', '%00', '..', '%2e%2e', 'null', '[]', '{}', ' ', '%F0%9F%98%80'),
            fc.integer().map(String),
        );
        const header = fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')), fc.constantFrom('', 'x'));
        const contentType = fc.constantFrom(undefined, 'application/json', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x', 'text/plain', 'application/octet-stream', 'application/json; charset=gbk', 'image/png', '*/*', ';;;');
        const body = fc.oneof(
            fc.constant(undefined),
            fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
            fc.string({ unit: 'binary', maxLength: 256 }),
            fc.jsonValue({ maxDepth: 4 }).map((json) => JSON.stringify(json)),
            fc.record({ code: fc.string({ maxLength: 70 }), goodsList: fc.array(fc.record({ goods_id: fc.oneof(fc.integer(), fc.string()), count: fc.oneof(fc.integer(), fc.double()) }), { maxLength: 4 }) })
                .map((json) => JSON.stringify(json)),
        );
        const auth = fc.constantFrom('none', 'valid', 'garbage', 'bearer-garbage');
        const query = fc.array(fc.tuple(fc.constantFrom('page', 'limit', 'out_trade_no', 'outcome', 'token', 'x', 'page[]'), segment), { maxLength: 4 })
            .map((pairs) => pairs.map(([name, text]) => `${name}=${text}`).join('&'));
        const call = fc.record({ route: fc.constantFrom(...routes), method: fc.oneof(fc.constant(''), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')),
            segment, query, body, contentType, auth, header });

        const failures: string[] = [];
        await fc.assert(fc.asyncProperty(call, async (input) => {
            const path = input.route.path.replace(/\{[^}]+\}/g, input.segment);
            const method = input.method || input.route.method;
            const headers: Record<string, string> = { 'x-fuzz': input.header };
            if (input.contentType !== undefined) {
                headers['content-type'] = input.contentType;
            }
            if (input.auth !== 'none') {
                headers.authorization = input.auth === 'valid' ? `Bearer ${validToken}` : input.auth === 'garbage' ? input.header : `Bearer ${input.header}`;
            }
            count('hostile');
            const reply = await attempt(`${url}${path}${input.query ? `?${input.query}` : ''}`, {
                method, headers, body: method === 'GET' || method === 'OPTIONS' ? undefined : input.body, timeoutMs: 10_000,
            });
            const outcome = 'error' in reply ? reply.error : reply.status;
            if (typeof outcome !== 'number' || outcome >= 500) {
                failures.push(`${method} ${path}?${input.query} → ${outcome} ${'text' in reply ? reply.text.slice(0, 200) : ''}`);
            }
            assert.ok(typeof outcome === 'number' && outcome < 500, failures.at(-1));
        }), settings(1500));
        assert.deepEqual(failures, []);
    });
});
