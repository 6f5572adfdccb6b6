import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import Boom from '@hapi/boom';
import { UniqueConstraintError } from 'sequelize';

import { loadConfig, type PayConfig } from '../../src/config';
import { migrate } from '../../src/db/migrator';
import { createSequelize, prepareDatabase } from '../../src/db/sequelize';
import { initModels, type Models } from '../../src/models';
import { OUT_TRADE_NO_PATTERN } from '../../src/models/order';
import type { OrderSummary } from '../../src/services/order-listings';
import { OrderService } from '../../src/services/order-service';
import { databaseKinds, type TestDatabase } from '../helpers/databases';

const PAY: PayConfig = { orderLifetimeMinutes: 30, orderQueryThrottleMs: 5000, reconcileIntervalMs: 0, maxUnpaidPerUser: 0 };

/** An order's lines as the database holds them. */
function linesOf(order: OrderSummary) {
    return (order.items ?? []).map((line) => ({ goodsId: line.goodsId, singlePrice: line.singlePrice, count: line.count }));
}

/** An order as the database holds it, without the parts that differ from run to run. */
function shapeOf(order: OrderSummary) {
    return {
        userId: order.userId,
        totalFee: order.totalFee,
        status: order.status,
        transactionId: order.transactionId,
        paidAt: order.paidAt,
        lines: linesOf(order),
    };
}

for (const { kind, create } of databaseKinds()) {
    describe(`orders in the database (${kind})`, () => {
        let database: TestDatabase;
        let models: Models;
        let orders: OrderService;
        let nextOpenId = 0;

        const newUser = async () => (await models.User.create({
            openId: `o_${kind}_${++nextOpenId}`, sessionKey: null, nickName: null, avatarUrl: null, gender: null,
        })).id;

        before(async () => {
            database = await create();
            models = initModels(createSequelize(loadConfig({ DATABASE_URL: database.url }).database));
            await prepareDatabase(models.sequelize);
            await migrate(models.sequelize);
            orders = new OrderService(models, PAY);
        });

        after(async () => {
            await models.sequelize.close();
            await database.drop();
        });

        it('stores prices as INTEGER columns (fen, never a float or decimal)', async () => {
            const integer = /^INT(EGER)?(\(\d+\))?$/i;
            const queryInterface = models.sequelize.getQueryInterface();
            assert.match((await queryInterface.describeTable('goods')).price!.type, integer);
            assert.match((await queryInterface.describeTable('order_goods')).single_price!.type, integer);
            assert.match((await queryInterface.describeTable('orders')).total_fee!.type, integer);
        });

        it('creates an unpaid order whose total and lines are integer fen read from the goods table', async () => {
            const userId = await newUser();
            const before = Date.now();
            const order = await orders.create(userId, [{ goodsId: 1, count: 2 }, { goodsId: 4, count: 1 }]);

            assert.deepEqual(shapeOf(order), {
                userId,
                totalFee: 490 * 2 + 880,
                status: 'unpaid',
                transactionId: null,
                paidAt: null,
                lines: [{ goodsId: 1, singlePrice: 490, count: 2 }, { goodsId: 4, singlePrice: 880, count: 1 }],
            });
            assert.match(order.outTradeNo, OUT_TRADE_NO_PATTERN);
            const lifetime = order.expiresAt.getTime() - order.createdAt.getTime();
            assert.ok(Math.abs(lifetime - PAY.orderLifetimeMinutes * 60_000) < 2000, `expires ${lifetime} ms after creation`);
            assert.ok(order.createdAt.getTime() >= before - 1000);

            const stored = await orders.findOwned(order.id, userId);
            assert.deepEqual(shapeOf(stored), shapeOf(order));
            assert.equal(stored.outTradeNo, order.outTradeNo);
        });

        it('prices a new order at the current goods price, and keeps the old price on earlier orders', async () => {
            const userId = await newUser();
            const earlier = await orders.create(userId, [{ goodsId: 2, count: 1 }]);
            await models.Goods.update({ price: 1500 }, { where: { id: 2 } });
            try {
                const later = await orders.create(userId, [{ goodsId: 2, count: 3 }]);
                assert.equal(later.totalFee, 4500);
                assert.deepEqual(shapeOf(later).lines, [{ goodsId: 2, singlePrice: 1500, count: 3 }]);
                assert.deepEqual(shapeOf(await orders.findOwned(earlier.id, userId)).lines, [{ goodsId: 2, singlePrice: 1280, count: 1 }]);
                assert.equal((await orders.findOwned(earlier.id, userId)).totalFee, 1280);
            }
            finally {
                await models.Goods.update({ price: 1280 }, { where: { id: 2 } });
            }
        });

        it('refuses goods that do not exist with a 400 naming them, and stores nothing', async () => {
            const userId = await newUser();
            await assert.rejects(orders.create(userId, [{ goodsId: 1, count: 1 }, { goodsId: 999, count: 1 }]), (error: unknown) => {
                assert.ok(Boom.isBoom(error));
                assert.equal(error.output.statusCode, 400);
                assert.match(error.message, /\b999\b/);
                return true;
            });
            assert.equal(await models.Order.count({ where: { userId } }), 0);
        });

        it('finds an order only for its owner (404 for anyone else)', async () => {
            const owner = await newUser();
            const stranger = await newUser();
            const order = await orders.create(owner, [{ goodsId: 3, count: 1 }]);
            await assert.rejects(orders.findOwned(order.id, stranger), (error: unknown) => Boom.isBoom(error) && error.output.statusCode === 404);
            await assert.rejects(orders.findOwned(2 ** 31 - 1, owner), (error: unknown) => Boom.isBoom(error) && error.output.statusCode === 404);
        });

        it('lists only the owner\'s orders, newest first, a page at a time', async () => {
            const owner = await newUser();
            const other = await newUser();
            const created: number[] = [];
            for (const goodsId of [1, 2, 3]) {
                created.push((await orders.create(owner, [{ goodsId, count: 1 }])).id);
            }
            await orders.create(other, [{ goodsId: 4, count: 1 }]);

            const first = await orders.listOwned(owner, { page: 1, limit: 2 });
            const second = await orders.listOwned(owner, { page: 2, limit: 2 });
            assert.equal(first.totalCount, 3);
            assert.equal(second.totalCount, 3);
            assert.deepEqual([...first.results, ...second.results].map((order) => order.id), created.reverse());
            assert.deepEqual(first.results.map(linesOf), [
                [{ goodsId: 3, singlePrice: 2990, count: 1 }],
                [{ goodsId: 2, singlePrice: 1280, count: 1 }],
            ]);
        });

        it('keeps out_trade_no unique: a second order with the same number is refused by the database', async () => {
            const userId = await newUser();
            const order = await orders.create(userId, [{ goodsId: 1, count: 1 }]);
            await assert.rejects(
                models.Order.create({ userId, outTradeNo: order.outTradeNo, totalFee: 490, expiresAt: new Date(Date.now() + 60_000) }),
                UniqueConstraintError,
            );
        });

        // SQLite has one writer at a time: the others must queue (WAL, busy timeout, BEGIN IMMEDIATE), not deadlock or time out.
        it('creates 20 orders for 20 users at once: all succeed quickly, each with its own out_trade_no', { timeout: 10_000 }, async () => {
            const started = Date.now();
            const users = await Promise.all(Array.from({ length: 20 }, () => newUser()));
            const created = await Promise.all(users.map((userId, index) => orders.create(userId, [{ goodsId: 1 + (index % 4), count: 1 + index }])));

            const elapsed = Date.now() - started;
            assert.ok(elapsed < 3000, `20 orders took ${elapsed} ms`);
            assert.equal(new Set(created.map((order) => order.outTradeNo)).size, 20);
            const prices = [490, 1280, 2990, 880];
            created.forEach((order, index) => {
                assert.equal(order.userId, users[index]);
                assert.equal(order.totalFee, prices[index % 4]! * (1 + index));
                assert.equal(order.items?.length, 1);
            });
            for (const userId of users) {
                assert.equal(await models.Order.count({ where: { userId } }), 1);
            }
        });
    });
}
