import { Op } from 'sequelize';

import type { Alert, Models } from '../models';

// The alerts table's statements: appended to by the logger's hook, read newest first, trimmed
// to a fixed number of rows.

export class AlertStore {
    constructor(private readonly models: Models) {}

    async append(values: Pick<Alert, 'event' | 'kind' | 'message' | 'details' | 'requestId'>): Promise<number> {
        return (await this.models.Alert.create(values)).id;
    }

    /** Newest first; `beforeId`: older than the previous page's last. */
    page(limit: number, beforeId?: number, event?: string): Promise<Alert[]> {
        return this.models.Alert.findAll({
            where: { ...(beforeId === undefined ? {} : { id: { [Op.lt]: beforeId } }), ...(event === undefined ? {} : { event }) },
            order: [['id', 'DESC']],
            limit,
        });
    }

    /** Drops the rows at or below `id`. */
    async dropUpTo(id: number): Promise<void> {
        await this.models.Alert.destroy({ where: { id: { [Op.lte]: id } } });
    }
}
