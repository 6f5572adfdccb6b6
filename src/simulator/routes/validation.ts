import Boom from '@hapi/boom';
import type { Lifecycle, RouteOptionsPayload } from '@hapi/hapi';

/** Control routes take small JSON bodies. */
export const JSON_PAYLOAD: RouteOptionsPayload = { maxBytes: 65_536 };

/** WeChat Pay's XML arrives raw (text/xml or application/xml alike) and is parsed by parseWxXml. */
export const XML_PAYLOAD: RouteOptionsPayload = { parse: false, output: 'data', maxBytes: 65_536 };

/** A bad control request is a 400 whose message names the field (hapi's default names nothing). */
export const failWithDetail: Lifecycle.Method = (_request, _h, error) => {
    throw Boom.badRequest(error?.message ?? 'Invalid request');
};
