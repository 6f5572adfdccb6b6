import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { csvField, csvLine, parseCsv } from '../../src/services/console/csv';

// The console's CSV: exports a spreadsheet opens as written (and never runs as a formula), and
// the shipping import reads what spreadsheets save.

describe('CSV', () => {
    it('quotes what needs quoting and defuses formulas', () => {
        assert.equal(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', 12, null]), 'a,"b,c","say ""hi""","two\nlines",12,\r\n');
        assert.equal(csvField('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"');
        assert.equal(csvField('+86 138'), "'+86 138");
        assert.equal(csvField('-5'), "'-5");
        assert.equal(csvField(-5), '-5', 'numbers are numbers');
        assert.equal(csvField('商品1-1 ×2'), '商品1-1 ×2');
    });

    it('reads quoted fields, CRLF and LF, a BOM, and skips blank lines', () => {
        assert.deepEqual(parseCsv('\uFEFFa,b\r\n"x,1","say ""hi"""\r\n\r\n"two\nlines",\n'), [['a', 'b'], ['x,1', 'say "hi"'], ['two\nlines', '']]);
        assert.deepEqual(parseCsv('a\nb'), [['a'], ['b']]);
    });

    it('reads back what it writes', () => {
        const rows = [['id', 'note'], ['1', 'a "quoted", comma'], ['2', 'line\r\nbreak']];
        assert.deepEqual(parseCsv(rows.map((row) => csvLine(row)).join('')), rows);
    });

    it('refuses what is not CSV, naming the line', () => {
        assert.throws(() => parseCsv('a,b\n"open'), /CSV line 2: a quoted field is never closed/);
        assert.throws(() => parseCsv('a,b\nx"y,z'), /CSV line 2: a quote inside an unquoted field/);
        assert.throws(() => parseCsv('"a"b,c'), /CSV line 1: text after a closing quote/);
    });
});
