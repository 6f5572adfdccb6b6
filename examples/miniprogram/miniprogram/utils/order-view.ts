import type { Order, OrderDetail, OrderStatus, OrderRefund, RefundRequest } from '../services/api-types';
import { yuan } from './money';

// What the pages show of an order: words for its states, amounts in yuan, and which buttons apply.

const STATUS_WORDS: Record<OrderStatus, string> = {
  unpaid: 'Waiting for payment',
  paid: 'Paid: the shop is preparing it',
  shipped: 'Shipped',
  completed: 'Completed',
  closed: 'Closed',
  refunded: 'Refunded',
};

const REFUND_WORDS: Record<OrderRefund['status'], string> = {
  processing: 'on its way back to you',
  succeeded: 'refunded',
  failed: 'failed: the shop will contact you',
  abnormal: 'held by your bank: the shop will contact you',
};

export function statusWords(order: Order, now = Date.now()): string {
  return order.status === 'unpaid' && isExpired(order, now) ? 'Expired: no longer payable' : STATUS_WORDS[order.status];
}

export interface OrderSummary {
  id: number;
  statusText: string;
  totalText: string;
  linesText: string;
}

export function orderSummary(order: Order): OrderSummary {
  return {
    id: order.id,
    statusText: statusWords(order),
    totalText: yuan(order.total_fee),
    linesText: order.goods.map((line) => `${line.name} × ${line.count}`).join(', '),
  };
}

export interface OrderView extends OrderSummary {
  lines: Array<{ goodsId: number; name: string; count: number; priceText: string }>;
  shipmentText: string;
  refundTexts: string[];
  requestText: string;
  transactionId: string | null;
  canPay: boolean;
  canClose: boolean;
  canConfirmReceipt: boolean;
  canAskForRefund: boolean;
}

export function orderView(order: OrderDetail, now = Date.now()): OrderView {
  const payable = order.status === 'unpaid' && !isExpired(order, now);
  const lastRequest: RefundRequest | undefined = order.refund_requests[order.refund_requests.length - 1];
  const refundable = ['paid', 'shipped', 'completed'].includes(order.status) && order.refunded_fee < order.total_fee;
  return {
    ...orderSummary(order),
    lines: order.goods.map((line) => ({ goodsId: line.goods_id, name: line.name || `Goods ${line.goods_id}`, count: line.count, priceText: yuan(line.single_price) })),
    shipmentText: order.shipment ? shipmentWords(order) : '',
    refundTexts: order.refunds.map((refund) => `¥${yuan(refund.refund_fee)} ${REFUND_WORDS[refund.status]}`),
    requestText: lastRequest ? requestWords(lastRequest) : '',
    transactionId: order.transaction_id,
    canPay: payable,
    canClose: payable,
    canConfirmReceipt: order.status === 'shipped',
    canAskForRefund: refundable && lastRequest?.status !== 'pending',
  };
}

function isExpired(order: Order, now: number): boolean {
  return Date.parse(order.expires_at) <= now;
}

function shipmentWords({ shipment }: Order): string {
  if (!shipment) {
    return '';
  }
  return shipment.logistics_type === 'express' ? `Sent by ${shipment.express_company}, tracking number ${shipment.tracking_no}` : `Sent: ${shipment.item_desc}`;
}

function requestWords(request: RefundRequest): string {
  switch (request.status) {
    case 'pending':
      return 'Refund requested: waiting for the shop';
    case 'granted':
      return 'The shop granted your refund';
    case 'declined':
      return `The shop declined your refund: ${request.note}`;
  }
}
