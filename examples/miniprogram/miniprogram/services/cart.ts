import type { Goods } from './api-types';

// The cart lives on the phone (wx storage). Its prices are only for showing a total: the order's
// amount is computed by the server from its own prices when the order is placed.

const CART_KEY = 'cart';
/** The API takes 1-999 of each goods and at most 100 lines. */
const MAX_COUNT = 999;

export interface CartLine {
  goodsId: number;
  name: string;
  /** fen, as listed when added */
  price: number;
  count: number;
}

export function cartLines(): CartLine[] {
  return wx.getStorageSync(CART_KEY) || [];
}

export function addToCart(goods: Goods): CartLine[] {
  const lines = cartLines();
  const line = lines.find((one) => one.goodsId === goods.id);
  if (line) {
    line.count = Math.min(line.count + 1, MAX_COUNT);
  }
  else {
    lines.push({ goodsId: goods.id, name: goods.name, price: goods.price, count: 1 });
  }
  return save(lines);
}

/** A count of 0 takes the line out. */
export function setCount(goodsId: number, count: number): CartLine[] {
  const lines = cartLines()
    .map((line) => (line.goodsId === goodsId ? { ...line, count: Math.min(count, MAX_COUNT) } : line))
    .filter((line) => line.count > 0);
  return save(lines);
}

export function emptyCart(): void {
  wx.removeStorageSync(CART_KEY);
}

function save(lines: CartLine[]): CartLine[] {
  wx.setStorageSync(CART_KEY, lines);
  return lines;
}
