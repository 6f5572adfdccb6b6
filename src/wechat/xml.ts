import { parseStringPromise } from 'xml2js';

/** Raised for any XML that is not a flat WeChat `<xml>` document of text fields. */
export class WxXmlError extends Error {
    override readonly name = 'WxXmlError';
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** WeChat Pay's documents hold a few dozen fields; a notification with many coupons, under a hundred. */
const MAX_FIELDS = 200;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses WeChat Pay's XML: one `<xml>` root holding only text fields. A DOCTYPE (entity
 * expansion, external entities), nested elements, attributes, repeated fields and bytes
 * that are not UTF-8 are refused before anything reads a value. `rootName` is for the
 * one document WeChat roots elsewhere: a refund notification's decrypted `<root>`.
 */
export async function parseWxXml(input: string | Buffer, rootName = 'xml'): Promise<Record<string, string>> {
    let text: string;
    try {
        text = typeof input === 'string' ? input : utf8.decode(input);
    }
    catch {
        throw new WxXmlError('body is not valid UTF-8');
    }

    if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
        throw new WxXmlError('DOCTYPE and entity declarations are not accepted');
    }
    assertFlatShape(text);

    // xml2js stops at the end of the first root, so whatever followed it (a second <xml>, text)
    // would pass unseen: the document is read inside a wrapper, where it must be the only child.
    const body = text.replace(/^\uFEFF?\s*<\?xml[^?]*\?>/, '');
    let document: unknown;
    try {
        document = await parseStringPromise(`<wx>${body}</wx>`, { explicitArray: true, explicitRoot: false, strict: true, trim: false });
    }
    catch {
        throw new WxXmlError('body is not well-formed XML');
    }
    const roots = isRecord(document) ? document[rootName] : undefined;
    if (!isRecord(document) || Object.keys(document).length !== 1 || !Array.isArray(roots) || roots.length !== 1) {
        throw new WxXmlError(`body must be one <${rootName}> element and nothing else`);
    }

    // An empty <xml></xml> parses to '', anything else to an object of field arrays.
    const [root] = roots as unknown[];
    if (root === '') {
        return {};
    }
    if (!isRecord(root) || '$' in root || '_' in root) {
        throw new WxXmlError(`<${rootName}> must hold only fields`);
    }

    const fields: Record<string, string> = {};
    for (const [name, values] of Object.entries(root)) {
        if (!FIELD_NAME.test(name)) {
            throw new WxXmlError(`field name "${name.slice(0, 64)}" is not accepted`);
        }
        if (!Array.isArray(values) || values.length !== 1) {
            throw new WxXmlError(`field <${name}> appears more than once`);
        }
        const [value] = values;
        if (typeof value !== 'string') {
            throw new WxXmlError(`field <${name}> must hold text only`);
        }
        fields[name] = value;
    }
    return fields;
}

/**
 * One linear pass before any parser runs: elements may nest two deep (the root and its
 * fields), and there may be only so many. A parser given 9,000 nested elements spends tens of
 * milliseconds of the event loop on them; this spends microseconds. Anything it lets through
 * still meets the parser's full checks.
 */
function assertFlatShape(text: string): void {
    let depth = 0;
    let elements = 0;
    for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
        if (text.startsWith('<![CDATA[', at)) {
            at = text.indexOf(']]>', at);
            if (at === -1) {
                return;
            }
            continue;
        }
        const end = text.indexOf('>', at);
        if (end === -1) {
            return;
        }
        const next = text[at + 1];
        if (next === '/') {
            depth -= 1;
        }
        else if (next !== '?' && next !== '!') {
            // Without attributes (WeChat sends none, and they are refused below anyway) a quoted
            // "/>" cannot pass an open tag off as a self-closing one.
            if (/["'=]/.test(text.slice(at, end))) {
                throw new WxXmlError('attributes are not accepted');
            }
            if (text[end - 1] === '/') {
                at = end;
                continue;
            }
            depth += 1;
            elements += 1;
            if (depth > 2) {
                throw new WxXmlError('fields must not nest');
            }
            if (elements > MAX_FIELDS + 1) {
                throw new WxXmlError(`more than ${MAX_FIELDS} fields`);
            }
        }
        at = end;
    }
}

/** Builds WeChat Pay's XML; text goes in CDATA, so any value travels unchanged. */
export function buildWxXml(fields: Readonly<Record<string, string | number | undefined>>, rootName = 'xml'): string {
    const body = Object.entries(fields)
        .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
        .map(([name, value]) => {
            if (!FIELD_NAME.test(name)) {
                throw new WxXmlError(`field name "${name}" cannot be written`);
            }
            const text = typeof value === 'number' ? String(value) : `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
            return `<${name}>${text}</${name}>`;
        })
        .join('');
    return `<${rootName}>${body}</${rootName}>`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
