import { askForRefund, closeOrder, getOrder } from '../../services/orders';
import { pay, type Payment } from '../../services/payment';
import { confirmReceiptInWechat } from '../../services/receipt';
import { ApiError, wordsOf } from '../../services/request';
import { orderView, type OrderView } from '../../utils/order-view';

const PAYMENT_WORDS: Record<Payment['outcome'], string> = {
  paid: 'Paid. Thank you!',
  cancelled: 'Payment cancelled: nothing was charged. The order is still waiting for payment.',
  unconfirmed: 'WeChat has not confirmed the payment yet. Pull down to check again.',
};

Component({
  data: { orderId: 0, order: null as OrderView | null, reason: '', busy: false, message: '' },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ orderId: Number(query.id) });
      return this.act(async () => {
        await this.reload();
        return '';
      });
    },

    async onPullDownRefresh() {
      await this.act(async () => {
        await this.reload();
        return '';
      });
      wx.stopPullDownRefresh();
    },

    async reload() {
      this.setData({ order: orderView(await getOrder(this.data.orderId)) });
    },

    pay() {
      return this.act(async () => {
        const payment = await pay(this.data.orderId, (order) => this.setData({ order: orderView(order) }));
        if (payment.outcome !== 'paid') {
          await this.reload();
        }
        return PAYMENT_WORDS[payment.outcome];
      });
    },

    close() {
      return this.act(async () => {
        const { confirm } = await wx.showModal({ title: 'Close this order?', content: 'It can no longer be paid once closed.' });
        if (!confirm) {
          return '';
        }
        await closeOrder(this.data.orderId).catch((error) => {
          // WeChat refuses to close an order within 5 minutes of its payment starting.
          throw error instanceof ApiError && error.statusCode === 502
            ? new ApiError('WeChat Pay cannot close this order yet (not within 5 minutes of paying). Try again later.')
            : error;
        });
        await this.reload();
        return 'Order closed.';
      });
    },

    confirmReceipt() {
      return this.act(async () => {
        const order = this.data.order!;
        const completed = await confirmReceiptInWechat(order.id, order.transactionId!);
        if (!completed) {
          return '';
        }
        await this.reload();
        return 'Receipt confirmed. The order is complete.';
      });
    },

    typeReason(event: WechatMiniprogram.Input) {
      this.setData({ reason: event.detail.value });
    },

    askForRefund() {
      return this.act(async () => {
        await askForRefund(this.data.orderId, this.data.reason.trim());
        this.setData({ reason: '' });
        await this.reload();
        return 'Refund requested. The shop will answer here.';
      });
    },

    /** One thing at a time: buttons are disabled while `busy`; the outcome or the failure is said in words. */
    async act(work: () => Promise<string>) {
      this.setData({ busy: true, message: '' });
      try {
        this.setData({ message: await work() });
      }
      catch (error) {
        this.setData({ message: wordsOf(error) });
        // It may have moved on elsewhere (paid, closed, refunded): show it as it is now, if it can be read.
        await this.reload().catch(() => undefined);
      }
      finally {
        this.setData({ busy: false });
      }
    },
  },
});
