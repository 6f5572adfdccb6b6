import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isRetryable, readErrorReply } from '../../../src/wechat/pay-v3/error-reply';

// A non-2xx APIv3 reply is JSON {code, message, detail?}, often unsigned: read for what to do next
// (retry the same request, or give up and say why), never trusted for anything else.

describe('readErrorReply', () => {
    it('reads WeChat\'s code, message and detail', () => {
        const body = JSON.stringify({ code: 'PARAM_ERROR', message: '参数错误', detail: { field: '/amount/total', value: 0, issue: 'must be > 0', location: 'body' } });
        assert.deepEqual(readErrorReply(400, body), {
            status: 400,
            code: 'PARAM_ERROR',
            message: '参数错误',
            detail: { field: '/amount/total', value: 0, issue: 'must be > 0', location: 'body' },
            retryable: false,
        });
        assert.equal(readErrorReply(400, Buffer.from(body)).code, 'PARAM_ERROR');
    });

    it('marks WeChat\'s own trouble and rate limits retryable, and requests WeChat refused as final', () => {
        const retryable = (status: number, code: string) => readErrorReply(status, JSON.stringify({ code, message: 'x' })).retryable;
        assert.equal(retryable(500, 'SYSTEM_ERROR'), true);
        assert.equal(retryable(429, 'FREQUENCY_LIMITED'), true);
        // close order racing a payment in progress: FREQUENCY_LIMITED with a 4xx is still "later".
        assert.equal(retryable(403, 'FREQUENCY_LIMITED'), true);
        assert.equal(retryable(500, 'BANK_ERROR'), true);
        for (const [status, code] of [[400, 'ORDER_CLOSED'], [404, 'NOT_FOUND'], [404, 'ORDER_NOT_EXIST'], [404, 'RESOURCE_NOT_EXISTS'], [401, 'SIGN_ERROR'],
            [400, 'PARAM_ERROR'], [400, 'INVALID_REQUEST'], [403, 'NOT_ENOUGH'], [403, 'NO_AUTH'], [500, 'INVALID_TRANSACTIONID'], [500, 'OPENID_MISMATCH']] as const) {
            assert.equal(retryable(status, code), false, `${status} ${code}`);
        }
    });

    it('reads a code it does not know by its status: 5xx and 429 retryable, other 4xx final', () => {
        assert.equal(isRetryable(503, 'SOMETHING_NEW'), true);
        assert.equal(isRetryable(429, undefined), true);
        assert.equal(isRetryable(409, 'SOMETHING_NEW'), false);
    });

    it('never throws: a proxy\'s HTML page, an empty body, JSON that is not an object', () => {
        for (const body of ['<html>502 Bad Gateway</html>', '', '[1,2]', 'null', '{"code":7}']) {
            const reply = readErrorReply(502, body);
            assert.equal(reply.code, undefined, body);
            assert.equal(reply.retryable, true, body);
        }
        assert.equal(readErrorReply(400, '<html/>').retryable, false);
    });

    it('keeps at most 512 characters of WeChat\'s words', () => {
        assert.equal(readErrorReply(400, JSON.stringify({ code: 'PARAM_ERROR', message: 'x'.repeat(5000) })).message?.length, 512);
    });
});
