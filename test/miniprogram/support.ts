import assert from 'node:assert/strict';

import type { TestApp } from '../helpers/app';
import { ADMIN } from '../shipping/support';
import type { Shopper } from './fake-wx';
import { openPage } from './mini-program';

export interface ShopOrder {
    readonly id: number;
    readonly out_trade_no: string;
    readonly status: string;
    readonly total_fee: number;
    readonly transaction_id: string | null;
}

/** The shopper adds shop 1's goods at `indexes` to the cart and places the order; the order page's url. */
export async function orderThroughTheCart(shopper: Shopper, indexes: number[]): Promise<string> {
    const goods = await openPage('/pages/goods/goods?shopId=1&name=shop');
    for (const index of indexes) {
        await goods.tap('.add', index);
    }
    const cart = await openPage('/pages/cart/cart');
    await cart.tap('.place-order');
    const url = shopper.navigations.at(-1)!;
    assert.match(url, /^\/pages\/order\/order\?id=\d+$/, cart.text('.message'));
    return url;
}

/** The order through the merchant API. */
export async function orderAsTheShopSeesIt(app: TestApp, orderId: number): Promise<ShopOrder> {
    const response = await app.inject({ method: 'GET', url: `/admin/orders/${orderId}`, headers: ADMIN });
    assert.equal(response.statusCode, 200, response.payload);
    return response.result as ShopOrder;
}
