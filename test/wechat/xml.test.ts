import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildWxXml, parseWxXml, WxXmlError } from '../../src/wechat/xml';

// WeChat Pay's XML: one flat <xml> of text fields, and nothing else gets through.

describe('buildWxXml and parseWxXml', () => {
    it('round-trips text, numbers, unicode and a value containing ]]>', async () => {
        const fields = { body: '腾讯充值中心-QQ会员充值 😀', attach: 'a]]>b]]>', total_fee: 1999, empty: '' };
        assert.deepEqual(await parseWxXml(buildWxXml(fields)), { body: fields.body, attach: 'a]]>b]]>', total_fee: '1999', empty: '' });
    });

    it('leaves out undefined fields', async () => {
        assert.deepEqual(await parseWxXml(buildWxXml({ a: '1', b: undefined })), { a: '1' });
    });

    it('reads WeChat\'s own mix of CDATA and plain text', async () => {
        const xml = '<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1</total_fee></xml>';
        assert.deepEqual(await parseWxXml(xml), { return_code: 'SUCCESS', total_fee: '1' });
    });

    it('reads an empty <xml/> as no fields', async () => {
        assert.deepEqual(await parseWxXml('<xml></xml>'), {});
    });

    it('refuses a field name that is not a plain identifier', () => {
        assert.throws(() => buildWxXml({ 'bad name': 'x' }), WxXmlError);
    });
});

describe('parseWxXml refuses', () => {
    const refused: Array<[string, string | Buffer]> = [
        ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY e "boom">]><xml><a>&e;</a></xml>'],
        ['an external entity', '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>'],
        ['nested elements', '<xml><a><b>1</b></a></xml>'],
        ['attributes on a field', '<xml><a id="1">x</a></xml>'],
        ['attributes on the root', '<xml version="1"><a>x</a></xml>'],
        ['a repeated field', '<xml><a>1</a><a>2</a></xml>'],
        ['another root', '<root><a>1</a></root>'],
        ['text beside fields', '<xml>loose<a>1</a></xml>'],
        ['malformed XML', '<xml><a>1</xml>'],
        ['plain text', 'return_code=SUCCESS'],
        ['fields nested 9,000 deep', `<xml>${'<a>'.repeat(9000)}1${'</a>'.repeat(9000)}</xml>`],
        ['open tags dressed as self-closing ones', `<xml>${'<a x="/>">'.repeat(9000)}</xml>`],
        ['more fields than any WeChat document has', `<xml>${Array.from({ length: 201 }, (_, index) => `<f${index}>1</f${index}>`).join('')}</xml>`],
        ['bytes that are not UTF-8', Buffer.concat([Buffer.from('<xml><a>'), Buffer.from([0xff, 0xfe]), Buffer.from('</a></xml>')])],
    ];
    for (const [what, input] of refused) {
        it(what, async () => {
            await assert.rejects(parseWxXml(input), WxXmlError);
        });
    }
});

// The shape is checked in one linear pass before xml2js runs: a deeply nested body must not
// reach the parser, which spends tens of milliseconds of the event loop on one.
describe('parseWxXml checks the shape before parsing', () => {
    const unparsed: Array<[string, string, RegExp]> = [
        ['deep nesting', `<xml>${'<a>'.repeat(9000)}</xml>`, /fields must not nest/],
        ['quoted attributes hiding open tags', `<xml>${'<a x="/>">'.repeat(9000)}</xml>`, /attributes are not accepted/],
        ['too many fields', `<xml>${'<f>1</f>'.repeat(300)}</xml>`, /more than 200 fields/],
    ];
    for (const [what, input, reason] of unparsed) {
        it(`refuses ${what} with the pre-check's own reason (the parser would say "not well-formed")`, async () => {
            await assert.rejects(parseWxXml(input), reason);
        });
    }

    it('lets a real notification with its prolog, CDATA and 60 coupon fields through', async () => {
        const coupons = Array.from({ length: 60 }, (_, index) => `<coupon_fee_${index}>1</coupon_fee_${index}>`).join('');
        const fields = await parseWxXml(`<?xml version="1.0" encoding="UTF-8"?><xml><a><![CDATA[<b><c><d>]]></a>${coupons}</xml>`);
        assert.equal(fields.a, '<b><c><d>');
        assert.equal(Object.keys(fields).length, 61);
    });
});
