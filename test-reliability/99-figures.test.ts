import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { collectRun, FIGURES, MUST_BE_ZERO, table } from './support/figures';

// The last file of the run: what every scenario file counted, as one table. The suite fails
// here if any order changed wrongly, any notification was lost, or any secret was seen in a
// response body or a log line of any file.

describe('the whole run', () => {
    it(`prints its figures; ${MUST_BE_ZERO.map((name) => FIGURES[name]).join(', ')} are all 0`, () => {
        const totals = collectRun();
        console.log(`reliability suite: ${totals.scenarios.length} scenarios\n${totals.scenarios.map((name) => `  - ${name}`).join('\n')}`);
        console.log(table(totals));
        for (const [name, where] of totals.leaks.slice(0, 5)) {
            console.log(`secret ${name} seen in: ${where}`);
        }

        assert.ok(totals.scenarios.length > 0, 'no scenario file recorded anything: run the whole folder (npm run test:reliability)');
        for (const name of MUST_BE_ZERO) {
            assert.equal(totals.counts[name], 0, `${FIGURES[name]}: ${totals.counts[name]}`);
        }
    });
});
