import type { WechatMerchant } from '../src/config';
import type { SignType } from '../src/wechat/sign';
import type { CheckName } from './checks';
import type { LoadResult, RequestSpec } from './load';
import { paidNotification, type Notification } from './notifications';

// The routes the bench drives, and the orders they pass along: POST /orders makes the orders
// POST /orders/{id}/pay starts paying (each once), whose prepays the notifications then pay.

export interface Shopper {
    readonly userId: number;
    readonly token: string;
    readonly openId: string;
}

export interface PlacedOrder {
    readonly id: number;
    readonly outTradeNo: string;
    readonly totalFee: number;
    /** Index into the shoppers. */
    readonly user: number;
}

/** One seeded goods line: goods 1 costs 490 fen, so each order's total must be 490. */
const ORDER_BODY = JSON.stringify({ goodsList: [{ goods_id: 1, count: 1 }] });
export const ORDER_TOTAL_FEE = 490;
/** In the duplicate-heavy mix, one first delivery for every this many repeats. */
const REPEATS_PER_FIRST_DELIVERY = 4;

const JSON_BODY = { 'content-type': 'application/json' };
const XML_BODY = { 'content-type': 'text/xml' };

export interface Plan {
    readonly requests: RequestSpec[];
    readonly check: CheckName;
}

export interface Route {
    readonly name: string;
    /** The baseline server instead of the app. */
    readonly baseline?: boolean;
    /** Each request is sent once (distinct orders), so the run may end early when they run out. */
    readonly distinct?: boolean;
    /** Makes the orders later routes need: run before measuring to stock up. */
    readonly stocks?: boolean;
    /** Whether notifications were delivered, so the database must be checked afterwards. */
    readonly notifies?: boolean;
    plan(): Plan | undefined;
    /** What the run did to the orders: which were sent (a prefix of the plan) and what came back. */
    settle?(plan: Plan, result: LoadResult): void;
}

/** The shoppers and their orders on one database, carried from run to run and round to round. */
export class ShopFloor {
    /** Orders made, not yet sent to pay. */
    private unpaid: PlacedOrder[] = [];
    /**
     * Notifications of orders with a prepay, not yet acknowledged. Each is signed once: one
     * sent but unanswered when a run stopped is delivered again, byte for byte, as WeChat would.
     */
    private pending: Notification[] = [];
    /** Notifications acknowledged in the last distinct run: the mix repeats them. */
    private lastAcknowledged: Notification[] = [];
    /** Every notification acknowledged: each of these orders must be paid exactly once. */
    readonly acknowledged = new Map<string, Notification>();
    /** Every order a notification was sent for, answered or not: the only ones that may be paid. */
    readonly attempted = new Set<string>();

    constructor(
        private readonly shoppers: readonly Shopper[],
        private readonly merchant: WechatMerchant,
        private readonly signType: SignType,
    ) {}

    routes(): Route[] {
        const auth = (user: number) => ({ authorization: `Bearer ${this.shoppers[user]!.token}` });
        const everyShopper = (request: (user: number) => RequestSpec) => this.shoppers.map((_, user) => request(user));
        return [
            { name: 'baseline GET /', baseline: true, plan: () => ({ requests: [{ method: 'GET', path: '/' }], check: 'hello' }) },
            { name: 'GET / (JWT)', plan: () => ({ requests: everyShopper((user) => ({ method: 'GET', path: '/', headers: auth(user) })), check: 'root' }) },
            { name: 'GET /shops', plan: () => ({ requests: [{ method: 'GET', path: '/shops' }], check: 'shops' }) },
            { name: 'GET /orders (JWT)', plan: () => ({ requests: everyShopper((user) => ({ method: 'GET', path: '/orders', headers: auth(user) })), check: 'ordersList' }) },
            {
                name: 'POST /orders',
                stocks: true,
                plan: () => ({
                    requests: everyShopper((user) => ({ method: 'POST', path: '/orders', headers: { ...auth(user), ...JSON_BODY }, body: ORDER_BODY, tag: { expectedFee: ORDER_TOTAL_FEE, user } })),
                    check: 'orderCreated',
                }),
                settle: (_plan, result) => this.unpaid.push(...result.collected as unknown as PlacedOrder[]),
            },
            {
                name: 'POST /orders/{id}/pay',
                stocks: true,
                distinct: true,
                plan: () => (this.unpaid.length === 0 ? undefined : {
                    requests: this.unpaid.map((order) => ({ method: 'POST', path: `/orders/${order.id}/pay`, headers: auth(order.user), tag: order })),
                    check: 'pay',
                }),
                settle: (_plan, result) => {
                    this.unpaid = this.unpaid.slice(result.sent);
                    this.addPrepaid(result.collected as unknown as PlacedOrder[]);
                },
            },
            {
                name: 'notify, distinct orders',
                distinct: true,
                notifies: true,
                plan: () => (this.pending.length === 0 ? undefined : { requests: this.pending.map((notification) => delivery(notification, true)), check: 'notify' }),
                settle: (plan, result) => {
                    this.lastAcknowledged = this.settleDeliveries(plan, result);
                },
            },
            {
                name: `notify, ${REPEATS_PER_FIRST_DELIVERY}/${REPEATS_PER_FIRST_DELIVERY + 1} duplicates`,
                notifies: true,
                plan: () => (this.lastAcknowledged.length === 0 ? undefined : { requests: this.mix(), check: 'notify' }),
                settle: (plan, result) => void this.settleDeliveries(plan, result),
            },
        ];
    }

    /** Orders with a prepay, waiting for their notification. */
    stock(): number {
        return this.pending.length;
    }

    /** Orders that now have a prepay: each gets its notification, signed once. */
    addPrepaid(orders: ReadonlyArray<Omit<PlacedOrder, 'id'>>): void {
        this.pending.push(...orders.map((order) => paidNotification(this.merchant, this.signType, { ...order, openId: this.shoppers[order.user]!.openId })));
    }

    /** An order the simulator itself paid and notified (WeChat's own path), held to the same check. */
    paidElsewhere(outTradeNo: string, transactionId: string): void {
        this.acknowledged.set(outTradeNo, { outTradeNo, transactionId, xml: '' });
        this.attempted.add(outTradeNo);
    }

    /** Repeats of the last run's acknowledged deliveries (WeChat's retries), with a first delivery every few. */
    private mix(): RequestSpec[] {
        const requests: RequestSpec[] = [];
        let fresh = 0;
        this.lastAcknowledged.forEach((notification, index) => {
            requests.push(delivery(notification, false));
            if ((index + 1) % REPEATS_PER_FIRST_DELIVERY === 0 && fresh < this.pending.length) {
                requests.push(delivery(this.pending[fresh++]!, true));
            }
        });
        return requests;
    }

    /** First deliveries acknowledged leave the pending ones; those sent go on record as attempted. */
    private settleDeliveries(plan: Plan, result: LoadResult): Notification[] {
        for (const request of plan.requests.slice(0, result.sent)) {
            this.attempted.add((request.tag as DeliveryTag).notification.outTradeNo);
        }
        const acknowledged = (result.collected as unknown as DeliveryTag[]).filter((tag) => tag.first).map((tag) => tag.notification);
        for (const notification of acknowledged) {
            this.acknowledged.set(notification.outTradeNo, notification);
        }
        const done = new Set(acknowledged.map((notification) => notification.outTradeNo));
        this.pending = this.pending.filter((notification) => !done.has(notification.outTradeNo));
        return acknowledged;
    }
}

interface DeliveryTag {
    readonly notification: Notification;
    /** The first delivery of this notification in the plan (the others are WeChat's repeats). */
    readonly first: boolean;
}

function delivery(notification: Notification, first: boolean): RequestSpec {
    const tag: DeliveryTag = { notification, first };
    return { method: 'POST', path: '/orders/pay/notify', headers: XML_BODY, body: notification.xml, tag };
}
