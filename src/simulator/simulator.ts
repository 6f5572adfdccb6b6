import type { WechatMerchant } from '../config';
import { AccessTokens } from './access-tokens';
import { BillTampers } from './trade-bill';
import { Clock } from './clock';
import { Faults } from './faults';
import { Notifier } from './notifier';
import type { SimulatorOptions } from './options';
import { Orders } from './orders';
import { Refunds } from './refunds';
import { Scheduler } from './scheduler';
import { Sessions } from './sessions';
import { Shippings } from './shipping';

/** One simulated WeChat: its state, its clock, and what it has still to do. */
export interface Simulator {
    readonly merchant: WechatMerchant;
    readonly clock: Clock;
    readonly scheduler: Scheduler;
    readonly sessions: Sessions;
    readonly orders: Orders;
    readonly refunds: Refunds;
    readonly bills: BillTampers;
    /** The refund notify URL set in the merchant platform: for platform refunds, and API ones without notify_url. */
    readonly refundNotifyUrl?: string;
    readonly faults: Faults;
    /** The mini-program's access tokens (stable_token) and the order-shipping service's records. */
    readonly accessTokens: AccessTokens;
    readonly shippings: Shippings;
    readonly notifier: Notifier;
    /** Cancels every retry, held reply and delivery in flight. */
    stop(): void;
}

export function createSimulator(options: SimulatorOptions): Simulator {
    const clock = new Clock(options.timeScale);
    const scheduler = new Scheduler();
    const notifier = new Notifier(clock, scheduler, { duplicates: options.notifyDuplicates, timeoutMs: options.notifyTimeoutMs });
    return {
        merchant: options.merchant,
        clock,
        scheduler,
        sessions: new Sessions(options.merchant.appId),
        orders: new Orders(),
        refunds: new Refunds(),
        bills: new BillTampers(),
        refundNotifyUrl: options.refundNotifyUrl,
        faults: new Faults(),
        accessTokens: new AccessTokens(clock),
        shippings: new Shippings(),
        notifier,
        stop() {
            scheduler.stop();
            notifier.close();
        },
    };
}
