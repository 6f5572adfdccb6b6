import type { Listing, Order, OrderDetail, RefundRequest } from './api-types';
import { request } from './request';

/** The server prices the order from its own goods: the cart sends only ids and counts. */
export function placeOrder(lines: ReadonlyArray<{ goodsId: number; count: number }>): Promise<Order> {
  return request<Order>('POST', '/orders', { goodsList: lines.map(({ goodsId, count }) => ({ goods_id: goodsId, count })) });
}

/** The shopper's own orders, newest first. */
export function listOrders(page = 1): Promise<Listing<Order>> {
  return request<Listing<Order>>('GET', '/orders', { page, limit: 20 });
}

/** Also asks WeChat about an unpaid order that has a prepay, so a lost notification still shows as paid. */
export function getOrder(orderId: number): Promise<OrderDetail> {
  return request<OrderDetail>('GET', `/orders/${orderId}`);
}

/** An unpaid order can no longer be paid (WeChat refuses within 5 minutes of starting payment). */
export function closeOrder(orderId: number): Promise<Order> {
  return request<Order>('POST', `/orders/${orderId}/close`);
}

/** After WeChat's receipt confirmation page succeeded (services/receipt.ts). */
export function confirmReceipt(orderId: number): Promise<Order> {
  return request<Order>('POST', `/orders/${orderId}/confirm-receipt`);
}

/** The shop grants it (a refund) or declines it with a note; getOrder shows which. */
export function askForRefund(orderId: number, reason: string): Promise<RefundRequest> {
  return request<RefundRequest>('POST', `/orders/${orderId}/refund-requests`, { reason });
}
