import { Op, type WhereOptions } from 'sequelize';

import type { AuditEvent, Models } from '../models';
import { retryOnDeadlock } from './rows';

// The audit trail's statements: one INSERT per write, and keyset reads, newest first. Nothing
// here updates or deletes a row, and nothing else in the app touches the table.

export type AuditEntry = Omit<AuditEvent['_creationAttributes'], 'id' | 'createdAt'>;

export interface AuditFilter {
    readonly staffId?: number;
    readonly actorKind?: AuditEvent['actorKind'];
    readonly subjectType?: string;
    readonly subjectId?: string;
    /** Rows older than this id (the previous page's last). */
    readonly beforeId?: number;
}

export class AuditStore {
    constructor(private readonly models: Models) {}

    async append(entry: AuditEntry): Promise<number> {
        return (await retryOnDeadlock(() => this.models.AuditEvent.create(entry))).id;
    }

    /** Newest first, at most `limit`. */
    page(filter: AuditFilter, limit: number): Promise<AuditEvent[]> {
        const where: WhereOptions<AuditEvent> = {
            ...(filter.staffId === undefined ? {} : { staffId: filter.staffId }),
            ...(filter.actorKind === undefined ? {} : { actorKind: filter.actorKind }),
            ...(filter.subjectType === undefined ? {} : { subjectType: filter.subjectType }),
            ...(filter.subjectId === undefined ? {} : { subjectId: filter.subjectId }),
            ...(filter.beforeId === undefined ? {} : { id: { [Op.lt]: filter.beforeId } }),
        };
        return this.models.AuditEvent.findAll({ where, order: [['id', 'DESC']], limit });
    }
}
