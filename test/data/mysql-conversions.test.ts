import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadConfig } from '../../src/config';
import { createSequelize } from '../../src/db/sequelize';
import { initModels } from '../../src/models';

// On MySQL the app reads values with mysql2's own conversions (src/db/sequelize.ts), not
// Sequelize's typeCast function: the two agree for every column type but DATEONLY and GEOMETRY.
describe('MySQL value conversions', () => {
    it('meet no DATEONLY or GEOMETRY column in the models, where mysql2 and Sequelize would read differently', async () => {
        const models = initModels(createSequelize(loadConfig({ DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none' }).database));
        try {
            const columns = Object.values(models.sequelize.models).flatMap((model) => Object.entries(model.getAttributes())
                .map(([attribute, definition]) => ({ column: `${model.name}.${attribute}`, type: (definition.type as { key?: string }).key })));
            assert.ok(columns.length > 50, 'the models were read');
            assert.deepEqual(columns.filter(({ type }) => type === 'DATEONLY' || type === 'GEOMETRY'), []);
        }
        finally {
            await models.sequelize.close();
        }
    });
});
