import type { Goods, Listing, Shop } from './api-types';
import { request } from './request';

/** Shops and goods need no sign-in. */
export function listShops(page = 1): Promise<Listing<Shop>> {
  return request<Listing<Shop>>('GET', '/shops', { page, limit: 20 }, { signedIn: false });
}

export function listGoods(shopId: number, page = 1): Promise<Listing<Goods>> {
  return request<Listing<Goods>>('GET', `/shops/${shopId}/goods`, { page, limit: 20 }, { signedIn: false });
}
