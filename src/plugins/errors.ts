import Boom from '@hapi/boom';
import type { Lifecycle, Plugin, Request } from '@hapi/hapi';
import { ConnectionError, DatabaseError, TimeoutError } from 'sequelize';

import { buildWxXml } from '../wechat/xml';

const PLUGIN_NAME = 'app-errors';

/** Joi's message names the offending field; hapi's default hides it behind "Invalid request". */
export const validationFailAction: Lifecycle.Method = (_request, _h, error) => {
    throw Boom.badRequest(error?.message ?? 'invalid request');
};

/**
 * Route `plugins` for routes WeChat's servers call: a failure of ours (a timeout, an outage)
 * leaves as WeChat's FAIL XML with HTTP 500, which WeChat retries, never as JSON.
 */
export const answersWechat = { [PLUGIN_NAME]: { wechatXml: true } } as const;

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
    1290, // ER_OPTION_PREVENTS_STATEMENT (read_only)
    1317, // ER_QUERY_INTERRUPTED
    1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
    3024, // ER_QUERY_TIMEOUT (MySQL max_execution_time)
]);

/** True for failures of the database itself (down, unreachable, pool exhausted, locked too long, storage faults). */
function isDatabaseUnavailable(error: unknown): boolean {
    if (error instanceof ConnectionError || error instanceof TimeoutError) {
        return true;
    }
    if (!(error instanceof DatabaseError)) {
        return false;
    }
    const { code, errno } = error.parent as { code?: string; errno?: number };
    return (code !== undefined && SQLITE_STORAGE_FAULTS.has(code)) || (errno !== undefined && MYSQL_UNAVAILABLE_ERRNOS.has(errno));
}

function answersInWechatXml(request: Request): boolean {
    return (request.route.settings.plugins as Record<string, { wechatXml?: boolean } | undefined>)[PLUGIN_NAME]?.wechatXml === true;
}

/**
 * The one place that shapes errors: every failure leaves as Boom's
 * `{ statusCode, error, message }`, a database outage as 503, and nothing leaks a stack.
 */
export const errorsPlugin: Plugin<void> = {
    name: PLUGIN_NAME,
    register(server) {
        server.ext('onPreResponse', (request, h) => {
            const response = request.response;
            if (!Boom.isBoom(response)) {
                return h.continue;
            }
            let error = response;
            if (isDatabaseUnavailable(response)) {
                request.log(['error', 'database'], response.message);
                error = Boom.serverUnavailable('database unavailable, try again shortly');
            }
            if (error.output.statusCode >= 500 && answersInWechatXml(request)) {
                return h.response(buildWxXml({ return_code: 'FAIL', return_msg: 'temporarily unable to process; please retry' }))
                    .type('text/xml')
                    .code(500);
            }
            return error === response ? h.continue : error;
        });
    },
};
