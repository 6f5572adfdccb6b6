import type { Order } from './orders';

/** The parameters the cashier passes on to the pay route, as the page got them. */
export type CashierParams = Readonly<Record<'timeStamp' | 'nonceStr' | 'package' | 'signType' | 'paySign', string> & { appId?: string }>;

/**
 * WeChat's cashier sheet as a self-contained page: the order's body and amount, and a Pay
 * button that posts the wx.requestPayment parameters to the pay route. The URL is relative
 * so the page works both standalone and under the app's /__wechat prefix. Everything echoed
 * is escaped; the one script runs under a CSP nonce.
 */
export function cashierPage(params: CashierParams, order: Order | undefined, scriptNonce: string): string {
    const summary = order === undefined
        ? '<p class="error">This prepay_id is unknown to WeChat.</p>'
        : `<p class="body">${escapeHtml(order.body)}</p><p class="amount">¥${yuan(order.totalFee)}</p>`;
    const fields = Object.entries(params)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
        .join('');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>WeChat Pay (simulator)</title>
<style nonce="${scriptNonce}">body{font-family:sans-serif;max-width:24em;margin:2em auto;text-align:center}
.amount{font-size:2em}.error{color:#c00}button{background:#07c160;color:#fff;border:0;padding:.8em 3em;font-size:1em}
pre{text-align:left;white-space:pre-wrap}</style></head>
<body><h1>WeChat Pay</h1>${summary}
<form id="pay">${fields}<button type="submit"${order === undefined ? ' disabled' : ''}>Pay</button></form>
<pre id="result"></pre>
<script nonce="${scriptNonce}">
document.getElementById('pay').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = document.getElementById('result');
    try {
        const reply = await fetch('pay', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(Object.fromEntries(new FormData(event.target))),
        });
        result.textContent = JSON.stringify(await reply.json(), null, 2);
    } catch (error) {
        result.textContent = String(error);
    }
});
</script></body></html>
`;
}

/** Content-Security-Policy for the page: nothing from elsewhere, only its own script and style. */
export function cashierPolicy(scriptNonce: string): string {
    return `default-src 'none'; script-src 'nonce-${scriptNonce}'; style-src 'nonce-${scriptNonce}'; connect-src 'self'; form-action 'self'`;
}

function yuan(fen: number): string {
    return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
