import type { Transaction, WhereOptions } from 'sequelize';

import { updateWhere } from '../db/rows';
import type { Models, Order } from '../models';
import { ORDER_STATUSES } from '../models/order';

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses by name, so code says `OrderStatus.unpaid`, not a string it could misspell. */
export const OrderStatus = Object.freeze(Object.fromEntries(ORDER_STATUSES.map((status) => [status, status]))) as { readonly [S in OrderStatus]: S };

/**
 * Every move an order can make, and from where: the one table of the order's life. A move is
 * applied only by `applyTransition`, as one conditional UPDATE judged by the rows it changed.
 */
export const TRANSITIONS = {
    /** A payment WeChat vouches for. From closed too: the shopper's money is real (raised as an alert). */
    pay: { from: [OrderStatus.unpaid, OrderStatus.closed], to: OrderStatus.paid },
    /** No payment can come any more (WeChat confirmed it, or the order never had a prepay). */
    close: { from: [OrderStatus.unpaid], to: OrderStatus.closed },
    /** The merchant sent the goods (the shipment is stored in the same transaction). */
    ship: { from: [OrderStatus.paid], to: OrderStatus.shipped },
    /** The shopper confirmed receipt, or ORDER_AUTO_RECEIVE_DAYS passed since shipping. */
    complete: { from: [OrderStatus.shipped], to: OrderStatus.completed },
    /** The refunds that succeeded add up to the paid total (a partial refund keeps the status): before shipping, in transit or after receipt. */
    refund: { from: [OrderStatus.paid, OrderStatus.shipped, OrderStatus.completed], to: OrderStatus.refunded },
} as const satisfies Record<string, { readonly from: readonly OrderStatus[]; readonly to: OrderStatus }>;

export type Transition = keyof typeof TRANSITIONS;

/** Whether an order in `status` can make the `transition` (e.g. may be refunded). */
export function canStart<T extends Transition>(transition: T, status: OrderStatus): status is (typeof TRANSITIONS)[T]['from'][number] {
    return (TRANSITIONS[transition].from as readonly OrderStatus[]).includes(status);
}

/** Where an order can be once WeChat took its payment: everything `pay` leads to. */
export const PAYMENT_TAKEN: readonly OrderStatus[] = [OrderStatus.paid, OrderStatus.shipped, OrderStatus.completed, OrderStatus.refunded];

export interface TransitionOptions {
    /** Further columns written with the status (transaction id, cleared claims…). */
    readonly values?: Partial<Order['_attributes']>;
    /** Further conditions the order must meet, in the same UPDATE (e.g. no prepay). */
    readonly where?: WhereOptions<Order['_attributes']>;
    readonly transaction?: Transaction;
}

/**
 * Moves an order that is in `from` (one of the transition's sources) to the transition's
 * target. True when this call moved it; false when it was not in `from` (or failed `where`) by
 * the time the UPDATE ran, so concurrent callers never both win.
 */
export async function applyTransition<T extends Transition>(
    models: Models,
    orderId: number,
    transition: T,
    from: (typeof TRANSITIONS)[T]['from'][number],
    { values = {}, where = {}, transaction }: TransitionOptions = {},
): Promise<boolean> {
    const { from: allowed, to } = TRANSITIONS[transition];
    if (!(allowed as readonly OrderStatus[]).includes(from)) {
        throw new Error(`order transition ${transition} cannot start from ${from}`);
    }
    const changed = await updateWhere(models.Order, { ...values, status: to }, { ...where, id: orderId, status: from }, transaction);
    return changed === 1;
}
