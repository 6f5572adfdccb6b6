import type { WechatMerchant } from '../src/config';
import type { SignType } from '../src/wechat/sign';
import type { CheckName } from './checks';
import type { LoadResult, RequestSpec } from './load';
import { paidNotification, type Notification } from './notifications';

// The routes the bench drives, and the orders they pass along: POST /orders makes the orders
// POST /orders/{id}/pay starts paying (each once), whose prepays the notifications then pay.

export interface Shopper {
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
const ORDER_TOTAL_FEE = 490;
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
    /** Orders with a prepay, not yet notified. */
    private prepaid: PlacedOrder[] = [];
    /** Notifications delivered in the last distinct run: the mix repeats them. */
    private lastDelivered: Notification[] = [];
    /** Every notification sent: each of these orders must end up paid exactly once. */
    readonly notified = new Map<string, Notification>();

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
                    this.prepaid.push(...result.collected as unknown as PlacedOrder[]);
                },
            },
            {
                name: 'notify, distinct orders',
                distinct: true,
                notifies: true,
                plan: () => (this.prepaid.length === 0 ? undefined : {
                    requests: this.prepaid.map((order) => this.notification(order)),
                    check: 'notify',
                }),
                settle: (plan, result) => {
                    const delivered = this.deliver(plan.requests.slice(0, result.sent));
                    this.prepaid = this.prepaid.slice(result.sent);
                    this.lastDelivered = delivered;
                },
            },
            {
                name: `notify, ${REPEATS_PER_FIRST_DELIVERY}/${REPEATS_PER_FIRST_DELIVERY + 1} duplicates`,
                notifies: true,
                plan: () => (this.lastDelivered.length === 0 ? undefined : { requests: this.mix(), check: 'notify' }),
                settle: (plan, result) => {
                    const firstDeliveries = plan.requests.slice(0, result.sent).filter((request) => (request.tag as { first: boolean }).first);
                    this.deliver(firstDeliveries);
                    this.prepaid = this.prepaid.slice(firstDeliveries.length);
                },
            },
        ];
    }

    /** Orders with a prepay, waiting for their notification. */
    stock(): number {
        return this.prepaid.length;
    }

    /** An order the simulator itself paid and notified (WeChat's own path), held to the same check. */
    paidElsewhere(outTradeNo: string, transactionId: string): void {
        this.notified.set(outTradeNo, { outTradeNo, transactionId, xml: '' });
    }

    private notification(order: PlacedOrder, first = true): RequestSpec {
        const notification = paidNotification(this.merchant, this.signType, { ...order, openId: this.shoppers[order.user]!.openId });
        return { method: 'POST', path: '/orders/pay/notify', headers: XML_BODY, body: notification.xml, tag: { notification, first } };
    }

    /** Repeats of the last run's deliveries (WeChat's retries), with a first delivery every few. */
    private mix(): RequestSpec[] {
        const requests: RequestSpec[] = [];
        let fresh = 0;
        this.lastDelivered.forEach((notification, index) => {
            requests.push({ method: 'POST', path: '/orders/pay/notify', headers: XML_BODY, body: notification.xml, tag: { notification, first: false } });
            if ((index + 1) % REPEATS_PER_FIRST_DELIVERY === 0 && fresh < this.prepaid.length) {
                requests.push(this.notification(this.prepaid[fresh++]!));
            }
        });
        return requests;
    }

    private deliver(sent: readonly RequestSpec[]): Notification[] {
        const notifications = sent.map((request) => (request.tag as { notification: Notification }).notification);
        for (const notification of notifications) {
            this.notified.set(notification.outTradeNo, notification);
        }
        return notifications;
    }
}
