import type { Request } from '@hapi/hapi';
import Joi from 'joi';

import type { Page } from '../services/shop-service';
import { isBeijingDay } from '../wechat/beijing-day';

export const pagingQuery = Joi.object({
    page: Joi.number().integer().min(1).max(1_000_000).default(1).description('1-based page number'),
    limit: Joi.number().integer().min(1).max(100).default(10).description('items per page (1-100)'),
});

/**
 * Names a schema's Swagger model. A Joi label does that, but also replaces the field's name in
 * Joi's messages ("OrderLineInputs" must contain…); the field's own name is put back, so a 400
 * still names the field the client sent.
 */
export function modelNamed<T extends Joi.Schema>(model: string, schema: T): T {
    return schema.label(model).error((reports) => {
        for (const report of reports as Joi.ErrorReport[]) {
            if (report.local?.label === model && report.path.length > 0) {
                report.local.label = fieldName(report.path);
            }
        }
        return reports as Joi.ErrorReport[];
    }) as T;
}

/** ['goodsList', 0, 'count'] → goodsList[0].count, as Joi writes paths. */
function fieldName(path: ReadonlyArray<string | number>): string {
    return path.reduce<string>((name, segment) => (typeof segment === 'number' ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '');
}

/** A Beijing calendar day, YYYY-MM-DD (2026-02-30 is refused). */
export const beijingDaySchema = (name: string) => Joi.string().custom((value: string, helpers) => (isBeijingDay(value) ? value : helpers.error('any.invalid')))
    .messages({ 'any.invalid': `"${name}" must be a day written YYYY-MM-DD` })
    .description('a Beijing day, YYYY-MM-DD');

export const idParam = (name: string) => Joi.number().integer().min(1).max(2 ** 31 - 1).required().description(`${name} id`);

export const pageLinksSchema = Joi.object({
    self: Joi.string().required(),
    first: Joi.string().required(),
    prev: Joi.string().allow(null).required(),
    next: Joi.string().allow(null).required(),
}).label('PageLinks');

/** A page of results: `{ results, totalCount, links }`. */
export function pageSchema(item: Joi.ObjectSchema, label: string): Joi.ObjectSchema {
    return Joi.object({
        results: Joi.array().items(item).required().label(`${label}Results`),
        totalCount: Joi.number().integer().min(0).required(),
        links: pageLinksSchema.required(),
    }).label(label);
}

/** The page asked for, once pagingQuery has validated it. */
export function pagingOf(request: Request): Page {
    return { page: Number(request.query.page), limit: Number(request.query.limit) };
}

/** Links to this page's neighbours, keeping the caller's other query parameters. */
export function pageLinks(request: Request, totalCount: number) {
    const { page, limit } = pagingOf(request);
    const link = (target: number) => {
        const query = new URLSearchParams({ ...(request.query as Record<string, string>), page: String(target), limit: String(limit) });
        return `${request.path}?${query.toString()}`;
    };
    return {
        self: link(page),
        first: link(1),
        prev: page > 1 ? link(page - 1) : null,
        next: page * limit < totalCount ? link(page + 1) : null,
    };
}

/** A keyset page's query: `before` is the previous page's `next`, so a page costs one index range however deep. */
export const keysetQuery = Joi.object({
    before: Joi.number().integer().min(1).max(2 ** 31 - 1).description("the previous page's next (omit for the newest)"),
    limit: Joi.number().integer().min(1).max(100).default(20).description('items per page (1-100)'),
});

/** A keyset page: `{ results, next }`, next null on the last page. */
export function keysetPageSchema(item: Joi.ObjectSchema, label: string): Joi.ObjectSchema {
    return Joi.object({
        results: Joi.array().items(item).required().label(`${label}Results`),
        next: Joi.number().integer().allow(null).required().description('pass as before= for the next (older) page; null: this is the last'),
    }).label(label);
}

/** One more row than asked for tells whether a next page exists. */
export function keysetPage<T extends { id: number }>(rows: readonly T[], limit: number): { results: T[]; next: number | null } {
    const results = rows.slice(0, limit);
    return { results, next: rows.length > limit ? results.at(-1)!.id : null };
}

export const errorSchema = Joi.object({
    statusCode: Joi.number().integer().required(),
    error: Joi.string().required(),
    message: Joi.string().allow('').required(),
}).label('Error');

const ERROR_MEANINGS: Record<number, string> = {
    400: 'invalid input; the message names the field',
    401: 'missing, malformed, expired or forged token (or staff session); the message says which',
    403: 'a staff session without the scope this route needs, or a write without its X-CSRF-Token crumb',
    404: 'not found, or not yours',
    409: 'the order is not in a state that allows this',
    429: 'too many requests: wait Retry-After seconds (on wxLogin also: WeChat is rate-limiting logins)',
    501: 'this server is not set up for it; the message says which setting is missing',
    502: 'WeChat refused or answered something invalid; safe to retry',
    503: 'WeChat or the database is unavailable; retry shortly',
    504: 'WeChat did not answer in time; safe to retry',
};

/**
 * Swagger's view of a route: its lock when it takes a token, and the errors it can answer. A
 * merchant API route (`admin`) takes the API key or a staff session (whose writes need the
 * crumb), and answers 403 to a session without its scope; `staff`: a staff session only.
 */
export function swaggerDocs({ jwt = false, admin = false, staff = false, errors = [] }: { jwt?: boolean; admin?: boolean; staff?: boolean; errors?: number[] }) {
    const statuses = jwt || admin || staff ? [...new Set([...errors, 401, ...(admin ? [403] : [])])].sort((a, b) => a - b) : errors;
    return {
        'hapi-swagger': {
            ...(jwt ? { security: [{ jwt: [] }] } : {}),
            ...(admin ? { security: [{ admin: [] }, { staffSession: [] }] } : {}),
            ...(staff ? { security: [{ staffSession: [] }] } : {}),
            responses: Object.fromEntries(statuses.map((status) => [status, { description: ERROR_MEANINGS[status], schema: errorSchema }])),
        },
    };
}
