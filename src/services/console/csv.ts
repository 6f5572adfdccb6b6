// CSV as spreadsheets read it (RFC 4180): fields quoted when they hold a comma, a quote or a
// line break, quotes doubled. A field starting with = + - @ (or a tab or CR) is prefixed with a
// quote mark so a spreadsheet never runs it as a formula (CSV injection).

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
    if (value === null || value === undefined) {
        return '';
    }
    if (typeof value === 'number') {
        return String(value);
    }
    const text = FORMULA_START.test(value) ? `'${value}` : value;
    return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: ReadonlyArray<string | number | null | undefined>) => `${fields.map(csvField).join(',')}\r\n`;

/** A CSV text that does not parse: the line it goes wrong on. */
export class CsvSyntaxError extends Error {
    override readonly name = 'CsvSyntaxError';

    constructor(readonly line: number, problem: string) {
        super(`CSV line ${line}: ${problem}`);
    }
}

/**
 * Rows of fields (quoted fields may hold commas, doubled quotes and line breaks); a BOM, blank
 * lines and trailing line breaks are ignored.
 */
export function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = '';
    let quoted = false;
    let line = 1;
    let fieldStarted = false;
    const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
    const endRow = () => {
        row.push(field);
        if (row.length > 1 || row[0] !== '') {
            rows.push(row);
        }
        row = [];
        field = '';
        fieldStarted = false;
    };
    for (let index = 0; index < source.length; index += 1) {
        const character = source[index]!;
        if (quoted) {
            if (character === '"' && source[index + 1] === '"') {
                field += '"';
                index += 1;
            }
            else if (character === '"') {
                quoted = false;
                const next = source[index + 1];
                if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
                    throw new CsvSyntaxError(line, 'text after a closing quote');
                }
            }
            else {
                line += character === '\n' ? 1 : 0;
                field += character;
            }
        }
        else if (character === '"' && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        }
        else if (character === ',') {
            row.push(field);
            field = '';
            fieldStarted = false;
        }
        else if (character === '\n' || character === '\r') {
            if (character === '\r' && source[index + 1] === '\n') {
                index += 1;
            }
            endRow();
            line += 1;
        }
        else {
            if (character === '"') {
                throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
            }
            field += character;
            fieldStarted = true;
        }
    }
    if (quoted) {
        throw new CsvSyntaxError(line, 'a quoted field is never closed');
    }
    if (field !== '' || row.length > 0) {
        endRow();
    }
    return rows;
}
