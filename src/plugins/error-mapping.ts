import Boom from '@hapi/boom';
import { ConnectionError, DatabaseError, TimeoutError } from 'sequelize';

import { UserGoneError } from '../services/user-service';
import { WechatApiRefusal, WechatBadReplyError, WechatBillTooLargeError, WechatCertificateError, WechatLoginRefusal, WechatPayRefusal, WechatTransportError } from '../wechat/errors';
import { userGoneError } from './auth-errors';

// The one table from what failed to what the client hears. Anything not named here is either a
// Boom error already (a service's 404, 409) or a bug (500, no details).

/** Login errcodes that mean this server's own appid or secret is wrong: not the client's fault. */
const LOGIN_MISCONFIGURED = new Set([40013, 40125, 41002, 41004]);

/** WeChat Pay err_codes saying the order's state at WeChat conflicts with the request. */
const ORDER_STATE_CONFLICTS = new Set(['ORDERPAID', 'ORDERCLOSED', 'OUT_TRADE_NO_USED', 'ORDERREVERSED']);

/** The storage refuses to work (read-only, I/O error, disk full, cannot open): an outage, not a bug. */
const SQLITE_STORAGE_FAULTS = new Set(['SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN']);

/**
 * MySQL / MariaDB errors that mean "try again later": disk or table full, read-only server,
 * a lock wait or statement cut off by the per-connection timeouts (src/db/sequelize.ts).
 */
const MYSQL_UNAVAILABLE_ERRNOS = new Set([
    1021, // ER_DISK_FULL
    1114, // ER_RECORD_FILE_FULL
    1205, // ER_LOCK_WAIT_TIMEOUT (innodb_lock_wait_timeout, lock_wait_timeout)
    1213, // ER_LOCK_DEADLOCK, still one after src/db/rows.ts's retries
    1290, // ER_OPTION_PREVENTS_STATEMENT (read_only)
    1317, // ER_QUERY_INTERRUPTED
    1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
    3024, // ER_QUERY_TIMEOUT (MySQL max_execution_time)
]);

/** True for failures of the database itself (down, unreachable, pool exhausted, locked too long, storage faults). */
export function isDatabaseUnavailable(error: unknown): boolean {
    if (error instanceof ConnectionError || error instanceof TimeoutError) {
        return true;
    }
    if (!(error instanceof DatabaseError)) {
        return false;
    }
    const { code, errno } = error.parent as { code?: string; errno?: number };
    return (code !== undefined && SQLITE_STORAGE_FAULTS.has(code)) || (errno !== undefined && MYSQL_UNAVAILABLE_ERRNOS.has(errno));
}

/** The HTTP answer for a named failure; undefined for anything this table does not name. */
export function toHttpError(error: unknown): Boom.Boom | undefined {
    if (error instanceof WechatTransportError) {
        return error.timedOut ? Boom.gatewayTimeout(error.message) : Boom.badGateway(error.message);
    }
    if (error instanceof WechatCertificateError) {
        return Boom.badGateway(error.message);
    }
    if (error instanceof WechatBadReplyError || error instanceof WechatBillTooLargeError) {
        return Boom.badGateway(error.message);
    }
    if (error instanceof WechatPayRefusal) {
        // Anything but an order-state conflict is WeChat refusing this server: 502, with WeChat's words kept.
        return error.code !== undefined && ORDER_STATE_CONFLICTS.has(error.code) ? Boom.conflict(error.message) : Boom.badGateway(error.message);
    }
    if (error instanceof WechatLoginRefusal) {
        if (error.errcode === -1) {
            return Boom.serverUnavailable(error.message);
        }
        if (error.errcode === 45011) {
            return Boom.tooManyRequests(error.message);
        }
        // A bad, used or risky login code (40029, 40163, 40226): the client should wx.login again.
        return LOGIN_MISCONFIGURED.has(error.errcode) ? Boom.badGateway(error.message) : Boom.unauthorized(error.message);
    }
    if (error instanceof WechatApiRefusal) {
        // stable_token or the order-shipping service refusing this server (wrong appid or secret, not
        // authorised, rate-limited): not the client's fault; WeChat's errcode and errmsg are kept.
        return Boom.badGateway(error.message);
    }
    if (error instanceof UserGoneError) {
        return userGoneError();
    }
    if (isDatabaseUnavailable(error)) {
        return Boom.serverUnavailable('database unavailable, try again shortly');
    }
    return undefined;
}
