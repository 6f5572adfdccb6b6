/** Raised for an amount that is not yuan with at most two decimals. */
export class YuanError extends Error {
    override readonly name = 'YuanError';
}

const YUAN = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Integer fen as WeChat writes yuan: `1999` → `19.99`, always two decimals. */
export function fenToYuan(fen: number): string {
    if (!Number.isSafeInteger(fen)) {
        throw new YuanError(`${fen} is not a whole number of fen`);
    }
    const sign = fen < 0 ? '-' : '';
    const digits = String(Math.abs(fen)).padStart(3, '0');
    return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Yuan text to integer fen by string arithmetic (`19.99` is 1999, never 1998.9999…): at most
 * two decimals, as WeChat's bill writes money; anything else is refused, not rounded.
 */
export function yuanToFen(text: string): number {
    const match = YUAN.exec(text);
    if (!match) {
        throw new YuanError(`"${text.slice(0, 32)}" is not an amount in yuan`);
    }
    const [, minus, whole, decimals = ''] = match;
    const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
    return minus === undefined || fen === 0 ? fen : -fen;
}
