import type { AuditEntry, AuditFilter, AuditStore } from '../../db/audit';
import type { AuditEvent } from '../../models';
import { AUDIT_SNAPSHOT_MAX_CHARACTERS } from '../../models/audit-event';

/** Who wrote, as the trail names them. */
export type AuditActor =
    | { readonly kind: 'staff'; readonly id: number; readonly name: string }
    | { readonly kind: 'api_key' };

export interface AuditRecord {
    readonly actor: AuditActor;
    readonly method: string;
    /** The route's template: `/admin/orders/{orderId}/refunds`. */
    readonly route: string;
    readonly path: string;
    readonly subject?: { readonly type: string; readonly id: string | undefined };
    readonly requestId: string;
    readonly statusCode: number;
    readonly ip: string | null;
    readonly before?: unknown;
    readonly after?: unknown;
}

export interface AuditPage {
    readonly results: AuditEvent[];
    /** The id to pass as `before` for the next page; null on the last. */
    readonly next: number | null;
}

/** The audit trail: appended to once per write to the merchant API, read newest first; never changed. */
export class AuditTrail {
    constructor(private readonly store: AuditStore) {}

    record(record: AuditRecord): Promise<number> {
        const entry: AuditEntry = {
            actorKind: record.actor.kind,
            staffId: record.actor.kind === 'staff' ? record.actor.id : null,
            staffName: record.actor.kind === 'staff' ? record.actor.name : null,
            action: `${record.method.toUpperCase()} ${record.route}`.slice(0, 160),
            path: record.path.slice(0, 255),
            subjectType: record.subject?.type ?? null,
            subjectId: record.subject?.id?.slice(0, 64) ?? null,
            requestId: record.requestId,
            statusCode: record.statusCode,
            ip: record.ip?.slice(0, 64) ?? null,
            before: snapshotText(record.before),
            after: snapshotText(record.after),
        };
        return this.store.append(entry);
    }

    async page(filter: AuditFilter, limit: number): Promise<AuditPage> {
        const rows = await this.store.page(filter, limit + 1);
        const results = rows.slice(0, limit);
        return { results, next: rows.length > limit ? results.at(-1)!.id : null };
    }
}

/** JSON, cut (and marked so) past the column's share: a snapshot never fails the write it records. */
function snapshotText(snapshot: unknown): string | null {
    if (snapshot === undefined || snapshot === null) {
        return null;
    }
    const text = JSON.stringify(snapshot);
    return text.length <= AUDIT_SNAPSHOT_MAX_CHARACTERS ? text : JSON.stringify({ truncated: true, start: text.slice(0, AUDIT_SNAPSHOT_MAX_CHARACTERS - 64) });
}
