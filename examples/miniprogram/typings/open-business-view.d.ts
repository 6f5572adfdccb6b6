// wx.openBusinessView is not in miniprogram-api-typings; this is the part the example uses, for
// WeChat's receipt confirmation page (businessType "weappOrderConfirm", base library ≥ 2.6.0).
declare namespace WechatMiniprogram {
  interface OpenBusinessViewOption {
    businessType: string;
    /** weappOrderConfirm: { transaction_id } or { merchant_id, merchant_trade_no } */
    extraData: IAnyObject;
  }

  interface OpenBusinessViewSuccessResult extends GeneralCallbackResult {
    /** weappOrderConfirm's answer; WeChat also passes it to App.onShow's referrerInfo.extraData. */
    extraData?: {
      status: 'success' | 'fail' | 'cancel';
      /** why, when status is fail */
      errormsg?: string;
      req_extradata?: IAnyObject;
    };
  }

  interface Wx {
    openBusinessView?(option: OpenBusinessViewOption): Promise<OpenBusinessViewSuccessResult>;
  }
}
