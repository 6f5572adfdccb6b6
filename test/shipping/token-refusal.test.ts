import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { Op } from 'sequelize';

import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { eventually } from '../helpers/wait';
import { atWechat, FAST_UPLOADS, injectFault, paidOrder, ship, shipments, type ShipmentBody } from './support';

// WeChat refusing the access token (stable_token: an AppSecret rotated in the console, the
// server's IP off the whitelist, a frozen secret) is this server's setup, not the shipment's:
// shipments wait, pending, an alert names what to fix, and once a token can be had every one of
// them is uploaded with no one touching them. Only upload_shipping_info's own final errcodes fail one.
for (const { kind, create } of databaseKinds()) {
    describe(`shipments while WeChat refuses the access token, on ${kind}`, () => {
        let app: TestApp;
        before(async () => {
            app = await startTestApp({ database: await create(), env: { ...FAST_UPLOADS, ...NO_ORDER_LIMITS } });
        });
        after(async () => {
            await app.stop();
            await app.database.drop();
        });

        const alerts = () => app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'alert.access_token_refused');
        const clearFaults = () => app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' });
        /** No token cached here, and WeChat's current one expired: the next upload must ask stable_token. */
        async function forgetToken() {
            await app.inject({ method: 'POST', url: '/__wechat/simulator/access-tokens/expire' });
            await app.server.app.models.WechatAccessToken.update({ accessToken: null, expiresAt: null }, { where: {} });
        }

        it('keeps them pending while the IP is not whitelisted, alerts naming the whitelist, and uploads them all once it is', async () => {
            const orders = [await paidOrder(app), await paidOrder(app), await paidOrder(app)];
            await forgetToken();
            await injectFault(app, 'stable_token', 'ip_not_whitelisted', 1000);
            for (const order of orders) {
                assert.equal((await ship(app, order.id)).statusCode, 201);
            }
            const refused = await eventually('an upload held for the token', async () => {
                const all = (await Promise.all(orders.map(async (order) => (await shipments(app, order.id))[0]!)));
                return all.some((shipment) => shipment.upload.errcode === 40164) ? all : undefined;
            });
            await sleep(1500); // a dozen runs of the upload job, every 50 ms, while the token stays refused
            const held: ShipmentBody[] = await Promise.all(orders.map(async (order) => (await shipments(app, order.id))[0]!));
            assert.deepEqual(held.map((shipment) => shipment.upload.state), ['pending', 'pending', 'pending'], 'no shipment fails for want of a token');
            const tried = refused.find((shipment) => shipment.upload.errcode === 40164)!;
            assert.match(tried.upload.reason!, /IP whitelist/);
            assert.match(tried.upload.errmsg!, /invalid ip 127\.0\.0\.1/);

            const [alert] = alerts();
            assert.ok(alert, 'an alert was raised');
            assert.equal(alert.level, 50);
            assert.equal(alert.errcode, 40164);
            assert.match(String(alert.fix), /IP whitelist/);
            assert.match(String(alert.errmsg), /invalid ip 127\.0\.0\.1/, 'WeChat names the address to whitelist');
            assert.ok(alerts().length <= 8, `alerts are paced by the back-off, not one per run (${alerts().length} in 1.5 s)`);

            await clearFaults(); // the operator whitelisted the IP
            for (const order of orders) {
                const uploaded = await eventually(`shipment of order ${order.id} uploaded`, async () => {
                    const [shipment] = await shipments(app, order.id);
                    return shipment!.upload.state === 'uploaded' ? shipment : undefined;
                }, 20_000);
                assert.equal(uploaded.upload.errcode, null);
                assert.equal((await atWechat(app, order.transactionId)).uploads, 1);
            }
        });

        it('names WX_SECRET when WeChat refuses the AppSecret, and uploads once WeChat takes it again', async () => {
            const order = await paidOrder(app);
            await forgetToken();
            const before = alerts().length;
            await injectFault(app, 'stable_token', 'invalid_appsecret', 3);
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const uploaded = await eventually('uploaded after three refusals', async () => {
                const [shipment] = await shipments(app, order.id);
                assert.notEqual(shipment!.upload.state, 'failed');
                return shipment!.upload.state === 'uploaded' ? shipment : undefined;
            }, 20_000);
            assert.equal(uploaded.upload.accepted_uploads, 1);
            const raised = alerts().slice(before);
            assert.equal(raised.length, 3, 'one alert for each refusal');
            assert.ok(raised.every((alert) => alert.errcode === 40125 && /WX_SECRET/.test(String(alert.fix))));
            assert.ok(!app.logs.some((line) => line.includes(app.config.wechat.appSecret)), 'the secret itself is never logged');
        });

        it('takes shipments an older version failed for a refused token back to pending (migration), and uploads them', async () => {
            const order = await paidOrder(app);
            await injectFault(app, 'upload_shipping_info', 'http500', 1000); // held at WeChat's door until the row is as the old code left it
            assert.equal((await ship(app, order.id)).statusCode, 201);
            const { Shipment } = app.server.app.models;
            // Between two attempts (not claimed by the job), so no attempt in flight writes over it.
            await eventually('the row as the old code left it', async () => {
                const [changed] = await Shipment.update(
                    { uploadState: 'failed', lastErrcode: 40164, lastErrmsg: 'invalid ip 127.0.0.1, not in whitelist', failureReason: 'WeChat refused the upload (errcode 40164)' },
                    { where: { orderId: order.id, attempts: { [Op.gt]: 0 }, claimedUntil: null } });
                return changed === 1 ? true : undefined;
            });
            await clearFaults();
            await sleep(300);
            assert.equal((await shipments(app, order.id))[0]!.upload.state, 'failed', 'nothing retries a failed shipment by itself');

            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const migration = require('../../migrations/20261218005500-retry-shipments-failed-for-access-token.js') as { up(queryInterface: unknown): Promise<void> };
            await migration.up(app.server.app.models.sequelize.getQueryInterface());
            const uploaded = await eventually('uploaded after the migration', async () => {
                const [shipment] = await shipments(app, order.id);
                return shipment!.upload.state === 'uploaded' ? shipment : undefined;
            }, 20_000);
            assert.equal(uploaded.upload.errcode, null);
            assert.equal((await atWechat(app, order.transactionId)).uploads, 1);
        });
    });
}
