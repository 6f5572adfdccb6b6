import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { QueryTypes } from 'sequelize';

import { migrate } from '../../src/db/migrator';
import type { Refund } from '../../src/models';
import { startTestApp, type TestApp } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { NO_ORDER_LIMITS } from '../helpers/no-order-limits';
import { eventually, freePort } from '../helpers/wait';
import { ship } from '../shipping/support';
import { paidOrder, refund } from './support';

// A refund whose creating request never records WeChat's answer (the process dies, the database
// goes) is still settled: it is stored already due for the refund job once its creator's claim
// lapses, and the job looks it up with refundquery before asking WeChat for it again. Here the
// creator is held at WeChat (a call dropped on its way, or an answer lost after WeChat took the
// refund) while the job runs at a time past the claim, as it would after a crash; the reliability
// suite (12-refund-crash) kills real processes and cuts real databases.

const STRANDED_MIGRATION = '20261218000100-make-stranded-refunds-due.js';
/** How long WeChat holds the creator's call: the job works the refund meanwhile. */
const HELD_MS = 1500;

for (const { kind, create } of databaseKinds()) {
    describe(`a refund whose creating request never heard back (${kind})`, () => {
        let app: TestApp;
        let token: string;

        before(async () => {
            // Refund notifications go nowhere: only the job's refundquery can settle what WeChat took.
            const nowhere = `http://127.0.0.1:${await freePort()}/orders/refund/notify`;
            app = await startTestApp({ database: await create(), env: { ...NO_ORDER_LIMITS, WX_HTTP_TIMEOUT_MS: '5000', WX_PAY_REFUND_NOTIFY_URL: nowhere } });
            ({ token } = await app.login());
        });
        afterEach(() => app.inject({ method: 'DELETE', url: '/__wechat/simulator/faults' }));
        after(() => app.stop().then(() => app.database.drop()));

        const models = () => app.server.app.models;
        const services = () => app.server.services();
        const fault = (endpoint: string, name: string, delayMs = HELD_MS) =>
            app.inject({ method: 'POST', url: '/__wechat/simulator/faults', payload: { endpoint, fault: name, delayMs } });
        const atWechat = async (outTradeNo: string) => (await app.inject({ method: 'GET', url: `/__wechat/simulator/refunds?out_trade_no=${outTradeNo}` }))
            .result as Array<{ out_refund_no: string; refund_id: string; refund_fee: number; refund_status: string }>;
        /** The order's one refund, once its creator has made its call to WeChat (attempts is written before the call). */
        const calling = (orderId: number) => eventually('the refund asked of WeChat', async () => {
            const row = await models().Refund.findOne({ where: { orderId } });
            return row?.attempts === 1 ? row : undefined;
        }, 5000, 10);
        /** A full refund of a new paid order whose call WeChat holds: the creator's answer to come, and the row once the call is made. */
        const heldRefund = async (held: 'dropped' | 'reply_lost') => {
            const order = await paidOrder(app, token);
            await fault('refund', held);
            const creating = refund(app, order.id, { refund_fee: order.total_fee });
            return { order, creating, row: await calling(order.id) };
        };
        /** A refund job run at a time past the creator's claim, as after a crash. */
        const jobAfterClaim = (row: Refund) => services().refundJob.runOnce(new Date(row.claimedUntil!.getTime() + 1000));

        it('is stored already due: next_attempt_at is its creator\'s claim end, set by the INSERT', async () => {
            const { creating, row } = await heldRefund('dropped');
            assert.ok(row.nextAttemptAt, 'due for the refund job');
            assert.equal(row.nextAttemptAt.getTime(), row.claimedUntil!.getTime());
            // The claim is counted from the request's clock, a moment before the row's created_at.
            assert.ok(Math.abs(row.claimedUntil!.getTime() - row.createdAt.getTime() - services().refunds.claimMs) < 1000);
            await creating;
        });

        it('WeChat never got it: refundquery finds none, and the job asks for it again with the same number and amounts', async () => {
            const { order, creating, row } = await heldRefund('dropped');
            assert.deepEqual(await atWechat(order.out_trade_no), []);

            await jobAfterClaim(row);
            await row.reload();
            assert.ok(row.refundId, 'accepted by WeChat on the job\'s call');
            assert.equal(row.attempts, 2);
            assert.deepEqual((await atWechat(order.out_trade_no)).map((one) => [one.out_refund_no, one.refund_fee]), [[row.outRefundNo, order.total_fee]]);

            // The creator's call ends (reset) with nothing left to change.
            const answered = await creating;
            assert.equal(answered.statusCode, 202, answered.payload);
            assert.equal((answered.result as { refund_id: string }).refund_id, row.refundId);
        });

        it('WeChat took it and its answer was lost: refundquery records it (succeeded) with no second refund call, and the order cannot ship', async () => {
            const { order, creating, row } = await heldRefund('reply_lost');
            const [taken] = await eventually('WeChat took the refund and settled it', async () => {
                const held = await atWechat(order.out_trade_no);
                return held[0]?.refund_status === 'SUCCESS' ? held : undefined;
            });

            await jobAfterClaim(row);
            await row.reload();
            assert.equal(row.status, 'succeeded');
            assert.equal(row.refundId, taken!.refund_id);
            assert.equal(row.attempts, 1, 'found by refundquery, not asked for again');
            assert.equal((await models().Order.findByPk(order.id))!.status, 'refunded');
            assert.equal((await atWechat(order.out_trade_no)).length, 1);
            assert.equal((await ship(app, order.id)).statusCode, 409);
            await creating;
        });

        it("WeChat refuses the job's call: failed with WeChat's words, and the amount may be refunded again", async () => {
            const { order, creating, row } = await heldRefund('dropped');
            await fault('refund', 'notenough');

            await jobAfterClaim(row);
            await row.reload();
            assert.equal(row.status, 'failed');
            assert.equal(row.failureCode, 'NOTENOUGH');
            assert.match(row.failureMessage!, /余额不足/);
            await creating;
            assert.equal((await refund(app, order.id, { refund_fee: order.total_fee })).statusCode, 202);
        });

        it('refundquery unanswered: nothing is asked for blind; due again later', async () => {
            const { order, creating, row } = await heldRefund('dropped');
            await fault('refundquery', 'systemerror');

            const run = new Date(row.claimedUntil!.getTime() + 1000);
            await services().refundJob.runOnce(run);
            await row.reload();
            assert.equal(row.attempts, 1, 'no refund call without refundquery\'s word');
            assert.equal(row.failureCode, 'WechatPayRefusal');
            assert.ok(row.nextAttemptAt! >= run);
            assert.equal(row.claimedUntil, null);
            assert.deepEqual(await atWechat(order.out_trade_no), []);
            await creating;
        });

        it('one stranded before this release (no next_attempt_at) is made due by the migration, and settled by the job', async () => {
            const order = await paidOrder(app, token);
            const { sequelize } = models();
            const stranded = await models().Refund.create({ orderId: order.id, outRefundNo: `RFSTRANDED${order.id}`, refundFee: order.total_fee, totalFee: order.total_fee, reason: null, attempts: 1 });
            await sequelize.query('DELETE FROM `SequelizeMeta` WHERE name = ?', { replacements: [STRANDED_MIGRATION], type: QueryTypes.DELETE });
            assert.deepEqual(await migrate(sequelize), [STRANDED_MIGRATION]);
            await stranded.reload();
            assert.ok(stranded.nextAttemptAt, 'due now');

            await services().refundJob.runOnce();
            await stranded.reload();
            assert.ok(stranded.refundId);
            assert.deepEqual((await atWechat(order.out_trade_no)).map((one) => one.out_refund_no), [stranded.outRefundNo]);
        });
    });
}
