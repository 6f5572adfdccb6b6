import type { WechatMerchant } from '../config';
import { Clock } from './clock';
import { Faults } from './faults';
import { Notifier } from './notifier';
import type { SimulatorOptions } from './options';
import { Orders } from './orders';
import { Scheduler } from './scheduler';
import { Sessions } from './sessions';

/** One simulated WeChat: its state, its clock, and what it has still to do. */
export interface Simulator {
    readonly merchant: WechatMerchant;
    readonly clock: Clock;
    readonly scheduler: Scheduler;
    readonly sessions: Sessions;
    readonly orders: Orders;
    readonly faults: Faults;
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
        faults: new Faults(),
        notifier,
        stop() {
            scheduler.stop();
            notifier.close();
        },
    };
}
