import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createMysqlDatabase, createSqliteDatabase, type TestDatabase } from '../test/helpers/databases';
import { buildWxXml, parseWxXml } from '../src/wechat/xml';
import { count, scenario } from './support/figures';
import { freePort } from './support/http';
import { newCredentials, startAppWithWechat, stopAll, type Credentials, type RunningApp } from './support/processes';
import { resign, Shop, type OrderView } from './support/shop';
import { openStore, retireStore, type Row, type Store } from './support/store';

// Whatever is posted to the notify URL — forged, tampered, malformed or huge — an order
// never changes and nothing answers 500. Each input is tried against a real unpaid order
// (paid at WeChat, its genuine notification held back) and a paid one.

type Fields = Record<string, string>;

interface Hostile {
    readonly name: string;
    readonly body: (genuine: Fields, key: string) => string | Buffer;
    readonly contentType?: string;
    /** The documented answer: 400 FAIL unless said otherwise. */
    readonly status?: number;
    /** Only for the unpaid or only for the paid order. */
    readonly only?: 'unpaid' | 'paid';
}

const flipFirst = (text: string) => (text[0] === 'A' ? `B${text.slice(1)}` : `A${text.slice(1)}`);
const nested = (depth: number) => `<xml>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</xml>`;

const HOSTILE: readonly Hostile[] = [
    { name: 'no sign', body: (g, key) => resign(g, {}, key).replace(/<sign>.*<\/sign>/, '') },
    { name: 'an empty sign', body: (g) => buildWxXml({ ...g, sign: '' }) },
    { name: 'a wrong sign', body: (g) => buildWxXml({ ...g, sign: flipFirst(g.sign!) }) },
    { name: 'the sign in lower case', body: (g) => buildWxXml({ ...g, sign: g.sign!.toLowerCase() }) },
    { name: 'the right sign made with another key', body: (g) => resign(g, {}, 'k'.repeat(32)) },
    { name: 'sign_type HMAC-SHA256 named, MD5 signed', body: (g, key) => resign(g, { sign_type: 'HMAC-SHA256' }, key, 'MD5') },
    { name: 'sign_type MD5 named, HMAC-SHA256 signed', body: (g, key) => resign(g, { sign_type: 'MD5' }, key, 'HMAC-SHA256') },
    { name: 'HMAC-SHA256 signed, not named (the prepay was MD5)', body: (g, key) => resign(g, {}, key, 'HMAC-SHA256') },
    { name: 'an unknown sign_type', body: (g, key) => resign(g, { sign_type: 'SHA1' }, key) },
    { name: 'another appid', body: (g, key) => resign(g, { appid: 'wx0000000000000000' }, key) },
    { name: 'another mch_id', body: (g, key) => resign(g, { mch_id: '1900000000' }, key) },
    { name: 'an amount one fen short', body: (g, key) => resign(g, { total_fee: String(Number(g.total_fee) - 1) }, key) },
    { name: 'an amount one fen over', body: (g, key) => resign(g, { total_fee: String(Number(g.total_fee) + 1) }, key) },
    { name: 'the amount in yuan with decimals', body: (g, key) => resign(g, { total_fee: `${g.total_fee}.00` }, key) },
    { name: 'the amount with a space', body: (g, key) => resign(g, { total_fee: ` ${g.total_fee}` }, key) },
    { name: 'a negative amount', body: (g, key) => resign(g, { total_fee: `-${g.total_fee}` }, key) },
    { name: 'an amount past 32 bits', body: (g, key) => resign(g, { total_fee: '99999999999' }, key) },
    { name: 'no total_fee', body: (g, key) => resign(g, { total_fee: undefined }, key) },
    { name: 'no transaction_id', body: (g, key) => resign(g, { transaction_id: undefined }, key) },
    { name: 'an unknown out_trade_no', body: (g, key) => resign(g, { out_trade_no: 'NOSUCHORDER000000000000000001' }, key) },
    { name: 'the out_trade_no upper-cased', body: (g, key) => resign(g, { out_trade_no: g.out_trade_no!.toUpperCase() }, key) },
    { name: 'the out_trade_no with a trailing space', body: (g, key) => resign(g, { out_trade_no: `${g.out_trade_no} ` }, key) },
    { name: 'the out_trade_no as a SQL wildcard', body: (g, key) => resign(g, { out_trade_no: `${g.out_trade_no!.slice(0, 10)}%` }, key) },
    { name: 'return_code FAIL', body: (g, key) => resign(g, { return_code: 'FAIL' }, key) },
    { name: 'result_code FAIL (a genuine failed payment: acknowledged, order untouched)', body: (g, key) => resign(g, { result_code: 'FAIL', err_code: 'NOTENOUGH', transaction_id: undefined }, key), status: 200 },
    { name: 'a second transaction_id for a paid order', body: (g, key) => resign(g, { transaction_id: '4200000000000000000000000002' }, key), only: 'paid' },
    {
        name: 'a DOCTYPE with entity expansion (billion laughs)',
        body: (g) => `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`).join('')}]>`
            + buildWxXml(g).replace('<xml>', '<xml><attach>&bbbbbbbbb;</attach>'),
    },
    { name: 'an external entity (SYSTEM file:///etc/passwd)', body: (g) => `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>${buildWxXml(g).replace('<xml>', '<xml><attach>&x;</attach>')}` },
    { name: 'a parameter entity to a remote DTD', body: (g) => `<!DOCTYPE xml [<!ENTITY % r SYSTEM "http://127.0.0.1:9/evil.dtd"> %r;]>${buildWxXml(g)}` },
    { name: 'a 10 MB body', body: (g) => Buffer.concat([Buffer.from(buildWxXml(g).replace('</xml>', '<pad>')), Buffer.alloc(10 * 1024 * 1024, 'x'), Buffer.from('</pad></xml>')]), status: 413 },
    // Over NOTIFY_MAX_BYTES (16 KB; WeChat's notifications are under 2 KB): refused unread.
    { name: '3000 junk fields (40 KB)', body: () => `<xml>${Array.from({ length: 3000 }, (_, i) => `<f${i}>x</f${i}>`).join('')}</xml>`, status: 413 },
    { name: '1000 junk fields (13 KB)', body: () => `<xml>${Array.from({ length: 1000 }, (_, i) => `<f${i}>x</f${i}>`).join('')}</xml>` },
    { name: 'JSON', body: (g) => JSON.stringify(g), contentType: 'application/json' },
    { name: 'a form post', body: (g) => new URLSearchParams(g).toString(), contentType: 'application/x-www-form-urlencoded' },
    { name: 'an empty body', body: () => '' },
    { name: 'an empty <xml/>', body: () => '<xml></xml>' },
    { name: 'deep nesting (5000 levels, 35 KB)', body: () => nested(5000), status: 413 },
    { name: 'deep nesting (2000 levels, 14 KB)', body: () => nested(2000) },
    { name: 'a nested field', body: (g) => buildWxXml(g).replace('<nonce_str>', '<nonce_str><inner>1</inner>') },
    { name: 'invalid UTF-8 in a value', body: (g) => Buffer.concat([Buffer.from(buildWxXml(g).replace('</xml>', '<attach><![CDATA[')), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(']]></attach></xml>')]) },
    { name: 'a repeated field', body: (g) => buildWxXml(g).replace('</xml>', `<out_trade_no>${g.out_trade_no}</out_trade_no></xml>`) },
    { name: 'an attribute on a field', body: (g) => buildWxXml(g).replace('<total_fee>', '<total_fee currency="CNY">') },
    { name: 'another root element', body: (g) => buildWxXml(g).replace(/^<xml>/, '<root>').replace(/<\/xml>$/, '</root>') },
    { name: 'two forged roots', body: (g, key) => `${resign(g, {}, 'k'.repeat(32))}${resign(g, { total_fee: '1' }, key)}` },
    { name: 'a NUL byte in a value', body: (g) => buildWxXml({ ...g, attach: 'a\u0000b' }) },
    { name: 'binary garbage', body: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), contentType: 'application/octet-stream' },
];

const DATABASES = [
    { kind: 'SQLite', create: createSqliteDatabase },
    ...(process.env.TEST_MYSQL_URL ? [{ kind: 'MariaDB', create: () => createMysqlDatabase(process.env.TEST_MYSQL_URL!) }] : []),
];

for (const { kind, create } of DATABASES) {
    describe(`hostile notifications (${kind})`, () => {
        let database: TestDatabase;
        let store: Store;
        let app: RunningApp;
        let shop: Shop;
        let credentials: Credentials;
        let token: string;
        const orders = {} as Record<'unpaid' | 'paid', { order: OrderView; genuine: Fields; xml: string }>;

        const snapshot = async (): Promise<Row[]> => store.all('SELECT * FROM orders WHERE id IN (?, ?) ORDER BY id', [orders.unpaid.order.id, orders.paid.order.id]);

        before(async () => {
            scenario(`hostile notifications (${kind})`);
            database = await create();
            credentials = newCredentials();
            app = await startAppWithWechat('app', {
                ...credentials,
                DATABASE_URL: database.url,
                WX_PAY_NOTIFY_URL: `http://127.0.0.1:${await freePort()}/nowhere`,
                RECONCILE_INTERVAL_MS: '0',
            });
            store = await openStore(database.url);
            shop = new Shop(app.url, app.wechat);
            ({ token } = await shop.login(`hostile.${Date.now()}`));
            for (const state of ['unpaid', 'paid'] as const) {
                const order = await shop.placeOrder(token);
                await shop.payInWechat(await shop.requestPayment(token, order.id));
                const xml = await shop.genuineNotification(order.out_trade_no);
                orders[state] = { order, xml, genuine: await parseWxXml(xml) };
            }
            const paid = await shop.notify(orders.paid.xml);
            assert.equal(paid.returnCode, 'SUCCESS', paid.text);
        });

        after(async () => {
            await stopAll();
            await retireStore(store);
            await database?.drop();
        });

        for (const target of ['unpaid', 'paid'] as const) {
            it(`leaves the ${target} order untouched and never answers 500, whatever arrives`, async () => {
                const surprises: string[] = [];
                for (const hostile of HOSTILE.filter((candidate) => (candidate.only ?? target) === target)) {
                    count('hostile');
                    const unchanged = await snapshot();
                    const body = hostile.body(orders[target].genuine, credentials.WX_PAY_API_KEY);
                    const answer = await shop.notify(body, hostile.contentType ?? 'text/xml');
                    const expected = hostile.status ?? 400;
                    const after = await snapshot();
                    if (JSON.stringify(after) !== JSON.stringify(unchanged)) {
                        count('wrongOrders');
                        surprises.push(`${hostile.name}: the order changed`);
                    }
                    if (answer.status !== expected || (expected === 400 && answer.returnCode !== 'FAIL')) {
                        surprises.push(`${hostile.name}: answered ${answer.status} ${answer.text.slice(0, 120)}, expected ${expected}`);
                    }
                }
                assert.equal(app.process.running, true, 'the process is still up');
                assert.deepEqual(surprises, []);
            });
        }

        // README, rule 1: "The body is a flat WeChat <xml> document"; anything else gets FAIL and leaves the order untouched.
        // Money-wise harmless (the first root still has to verify), so it is not counted as an order changed wrongly.
        it('refuses a body with anything after the </xml> root (README rule 1), leaving the order unpaid', async () => {
            const order = await shop.placeOrder(token);
            await shop.payInWechat(await shop.requestPayment(token, order.id));
            const xml = await shop.genuineNotification(order.out_trade_no);
            count('hostile');
            const answer = await shop.notify(`${xml}<xml><total_fee>1</total_fee></xml>`);
            const [row] = await store.all<{ status: string }>('SELECT status FROM orders WHERE id = ?', [order.id]);
            assert.deepEqual([answer.status, answer.returnCode, row?.status], [400, 'FAIL', 'unpaid'], answer.text);
        });

        it('still accepts the genuine notification afterwards, and a barrage of hostile ones around it does not stop a third order being paid once', async () => {
            const genuine = await shop.notify(orders.unpaid.xml);
            assert.deepEqual([genuine.status, genuine.returnCode], [200, 'SUCCESS'], genuine.text);
            const [unpaid] = await store.all<{ status: string; transaction_id: string }>('SELECT status, transaction_id FROM orders WHERE id = ?', [orders.unpaid.order.id]);
            assert.deepEqual({ ...unpaid }, { status: 'paid', transaction_id: orders.unpaid.genuine.transaction_id });

            const order = await shop.placeOrder(token);
            await shop.payInWechat(await shop.requestPayment(token, order.id));
            const xml = await shop.genuineNotification(order.out_trade_no);
            const fields = await parseWxXml(xml);
            const hostile = HOSTILE.filter((candidate) => candidate.only === undefined && candidate.status === undefined);
            count('hostile', hostile.length);
            const answers = await Promise.all([
                ...hostile.map((candidate) => shop.notify(candidate.body(fields, credentials.WX_PAY_API_KEY), candidate.contentType ?? 'text/xml')),
                shop.notify(xml),
            ]);
            const [row] = await store.all<{ status: string; transaction_id: string }>('SELECT status, transaction_id FROM orders WHERE id = ?', [order.id]);
            const right = row?.status === 'paid' && row.transaction_id === fields.transaction_id;
            count('wrongOrders', right ? 0 : 1);
            count('lostNotifications', right ? 0 : 1);
            assert.ok(right, JSON.stringify(row));
            assert.deepEqual(answers.filter((answer) => answer.status >= 500).map((answer) => answer.text), []);
            assert.equal(answers.at(-1)!.returnCode, 'SUCCESS');
        });
    });
}
