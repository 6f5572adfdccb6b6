import { config } from '../config';
import type { OrderDetail, RequestPayment } from './api-types';
import { getOrder } from './orders';
import { ApiError, request } from './request';

export type Payment =
  /** The server says the order is paid. */
  | { outcome: 'paid'; order: OrderDetail }
  /** The shopper closed WeChat's pay sheet: nothing was charged, the order can still be paid. */
  | { outcome: 'cancelled' }
  /** WeChat took it, but the server has not heard yet: read the order again later. */
  | { outcome: 'unconfirmed' };

/**
 * Pays an order: the API's wx.requestPayment parameters, WeChat's pay sheet, then the order read
 * until the server says paid. wx.requestPayment's success is only the client's word; the order is
 * paid when WeChat's notification lands (or the API's own orderquery finds the payment).
 */
export async function pay(orderId: number, onRead: (order: OrderDetail) => void): Promise<Payment> {
  const params = await request<RequestPayment>('POST', `/orders/${orderId}/pay`);
  const inDevtools = wx.getDeviceInfo().platform === 'devtools';
  if (inDevtools) {
    showSimulatorCashier(params);
  }
  try {
    const { timeStamp, nonceStr, signType, paySign } = params;
    await wx.requestPayment({ timeStamp, nonceStr, package: params.package, signType, paySign });
  }
  catch (error) {
    const { errMsg } = error as WechatMiniprogram.GeneralCallbackResult;
    if (errMsg === 'requestPayment:fail cancel') {
      return { outcome: 'cancelled' };
    }
    // DevTools cannot pay the built-in simulator's orders: wait while the developer pays on the cashier page.
    if (!inDevtools) {
      throw new ApiError(`WeChat Pay did not take the payment: ${errMsg.replace(/^requestPayment:fail\s*/, '')}`);
    }
  }
  for (let read = 1; read <= config.paymentPoll.times; read += 1) {
    const order = await getOrder(orderId);
    onRead(order);
    if (order.paid_at !== null) {
      return { outcome: 'paid', order };
    }
    await sleep(config.paymentPoll.everyMs);
  }
  return { outcome: 'unconfirmed' };
}

/**
 * In WeChat DevTools against `npm start`, prints the simulator's cashier page for this payment
 * (WeChat's pay sheet in a browser: open it and press Pay). Never on a phone.
 */
function showSimulatorCashier(params: RequestPayment): void {
  const query = (Object.keys(params) as Array<keyof RequestPayment>)
    .map((name) => `${name}=${encodeURIComponent(params[name])}`)
    .join('&');
  console.info(`Pay on the simulator's cashier page: ${config.apiBase}/__wechat/simulator/cashier?${query}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
