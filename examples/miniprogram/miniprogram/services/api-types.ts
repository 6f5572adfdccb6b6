// What the shop API answers, as its /swagger.json describes it. Money is integer fen throughout.

/** A page of a list: `{ results, totalCount, links }`. */
export interface Listing<T> {
  results: T[];
  totalCount: number;
  links: { self: string; first: string; prev: string | null; next: string | null };
}

export interface Shop {
  id: number;
  name: string;
  thumb_url: string | null;
}

export interface Goods {
  id: number;
  shop_id: number;
  name: string;
  thumb_url: string | null;
  /** fen */
  price: number;
}

export interface LoginResult {
  token: string;
  userId: number;
}

export type OrderStatus = 'unpaid' | 'paid' | 'shipped' | 'completed' | 'closed' | 'refunded';

export interface OrderLine {
  goods_id: number;
  name: string | null;
  /** fen, the price when ordered */
  single_price: number;
  count: number;
}

export interface Shipped {
  logistics_type: 'express' | 'same_city' | 'virtual' | 'pickup';
  express_company: string | null;
  tracking_no: string | null;
  item_desc: string;
  shipped_at: string;
}

export interface Order {
  id: number;
  out_trade_no: string;
  /** fen, computed by the server from its prices */
  total_fee: number;
  status: OrderStatus;
  transaction_id: string | null;
  paid_at: string | null;
  /** after this an unpaid order can no longer be paid */
  expires_at: string;
  created_at: string;
  shipment: Shipped | null;
  goods: OrderLine[];
}

export type RefundStatus = 'processing' | 'succeeded' | 'failed' | 'abnormal';

export interface OrderRefund {
  /** fen */
  refund_fee: number;
  status: RefundStatus;
  created_at: string;
  succeeded_at: string | null;
}

export interface RefundRequest {
  id: number;
  order_id: number;
  reason: string;
  status: 'pending' | 'granted' | 'declined';
  /** the shop's words when it declined */
  note: string | null;
  created_at: string;
  decided_at: string | null;
}

/** GET /orders/{orderId}: the order with its refunds and refund requests. */
export interface OrderDetail extends Order {
  /** fen: the refunds that succeeded */
  refunded_fee: number;
  refunds: OrderRefund[];
  refund_requests: RefundRequest[];
}

/** Exactly what wx.requestPayment takes (plus appId, which it ignores). */
export interface RequestPayment {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256';
  paySign: string;
}
