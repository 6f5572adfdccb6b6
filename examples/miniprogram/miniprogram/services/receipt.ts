import type { Order } from './api-types';
import { confirmReceipt } from './orders';
import { ApiError } from './request';

/**
 * The shopper confirms receipt in WeChat's order-shipping service (which then releases the shop's
 * money), and once WeChat's page says so, the API completes the order: shipped → completed.
 * Resolves undefined when the shopper backs out of WeChat's page.
 */
export async function confirmReceiptInWechat(orderId: number, transactionId: string): Promise<Order | undefined> {
  if (!wx.openBusinessView) {
    throw new ApiError('Update WeChat to confirm receipt.');
  }
  const { extraData } = await wx.openBusinessView({ businessType: 'weappOrderConfirm', extraData: { transaction_id: transactionId } })
    .catch(({ errMsg }: WechatMiniprogram.GeneralCallbackResult) => {
      throw new ApiError(`WeChat could not open its receipt page (${errMsg}). Try again.`);
    });
  if (extraData?.status === 'cancel') {
    return undefined;
  }
  if (extraData?.status !== 'success') {
    throw new ApiError(`WeChat did not confirm receipt: ${extraData?.errormsg || 'try again'}.`);
  }
  return confirmReceipt(orderId);
}
