import type { Order } from './orders';

/** The parameters the cashier passes on to the pay route, as the page got them. */
export type CashierParams = Readonly<Record<'timeStamp' | 'nonceStr' | 'package' | 'signType' | 'paySign', string> & { appId?: string }>;

/**
 * WeChat's cashier sheet as a self-contained page: the order's body and amount, and a Pay
 * button that posts the wx.requestPayment parameters to the pay route, then says in words
 * what happened (and stays disabled once paid, as WeChat's sheet closes). The URL is relative
 * so the page works both standalone and under the app's /__wechat prefix. Everything echoed
 * is escaped; the one script runs under a CSP nonce.
 */
export function cashierPage(params: CashierParams, order: Order | undefined, scriptNonce: string): string {
    const payable = order !== undefined && order.state !== 'SUCCESS';
    const fields = Object.entries(params)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
        .join('');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>WeChat Pay (simulator)</title>
<style nonce="${scriptNonce}">body{font-family:sans-serif;max-width:24em;margin:2em auto;text-align:center}
.amount{font-size:2em}.error{color:#c00}.paid{color:#07c160;font-weight:bold}
button{background:#07c160;color:#fff;border:0;padding:.8em 3em;font-size:1em}button:disabled{background:#aaa}</style></head>
<body><h1>WeChat Pay</h1>${summary(order)}
<form id="pay">${fields}<button type="submit"${payable ? '' : ' disabled'}>Pay</button></form>
<p id="result" role="status">${order?.payment ? paidWords(order.totalFee, order.payment.transactionId) : ''}</p>
<script nonce="${scriptNonce}">
const form = document.getElementById('pay');
const button = form.querySelector('button');
const result = document.getElementById('result');
const paidWords = ${JSON.stringify(paidWords(order?.totalFee ?? 0, '{transaction}'))};
form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    result.className = '';
    result.textContent = 'Paying…';
    try {
        const reply = await fetch('pay', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(Object.fromEntries(new FormData(form))),
        });
        const body = await reply.json();
        if (reply.ok) {
            result.className = 'paid';
            result.textContent = paidWords.replace('{transaction}', body.transaction_id);
            return;
        }
        result.className = 'error';
        result.textContent = 'Not paid: ' + String(body.errMsg || body.message || reply.status).replace(/^requestPayment:fail /, '');
    } catch (error) {
        result.className = 'error';
        result.textContent = 'Not paid: ' + String(error);
    }
    button.disabled = false;
});
</script></body></html>
`;
}

/** Content-Security-Policy for the page: nothing from elsewhere, only its own script and style. */
export function cashierPolicy(scriptNonce: string): string {
    return `default-src 'none'; script-src 'nonce-${scriptNonce}'; style-src 'nonce-${scriptNonce}'; connect-src 'self'; form-action 'self'`;
}

function summary(order: Order | undefined): string {
    if (order === undefined) {
        return '<p class="error">This prepay_id is unknown to WeChat.</p>';
    }
    return `<p class="body">${escapeHtml(order.body)}</p><p class="amount">¥${yuan(order.totalFee)}</p>`
        + (order.state === 'SUCCESS' ? '<p class="paid">This order is paid.</p>' : '');
}

/** The words shown once paid; transaction ids are digits, so nothing here needs escaping. */
function paidWords(totalFee: number, transactionId: string): string {
    return `Paid ¥${yuan(totalFee)} (${totalFee} fen). Transaction ${transactionId}.`;
}

function yuan(fen: number): string {
    return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
