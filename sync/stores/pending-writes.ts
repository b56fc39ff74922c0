/**
 * A save's writes, collected and issued as one request per table and kind: each row's last state,
 * and the new outbox entries. Kept apart from the save's logic (`write-batch.ts`) so that file
 * reads as the derivation it is.
 */
import { type LocalMutation, type Row, refKey, storedForm } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import type { RawTx } from './raw-tables.ts';

interface RowWrite {
  entity: EntityName;
  key: string;
  row: Row | null;
  /** The row is new to the device (see `WriteInput.fresh`): added, so a stored one fails the save. */
  add: boolean;
}

export class PendingWrites {
  private readonly rows = new Map<string, RowWrite>();
  private mutations: LocalMutation[] = [];
  private readonly issued: Promise<unknown>[] = [];

  constructor(private readonly tx: RawTx) {}

  row(entity: EntityName, key: string, row: Row | null, add = false): void {
    const k = refKey(entity, key);
    // A later write of the same row replaces the earlier one's state (and its place in the order),
    // keeping whether the row is new: it still was not stored before the batch.
    const first = this.rows.get(k);
    this.rows.delete(k);
    this.rows.set(k, { entity, key, row, add: first?.add ?? add });
  }

  mutation(m: LocalMutation): void {
    this.mutations.push(m);
  }

  also(request: Promise<unknown>): void {
    this.issued.push(request);
  }

  /** Issues the collected writes; resolves once everything issued so far is done. */
  flush(): Promise<unknown> {
    const tables = new Map<EntityName, { add: Row[]; put: Row[]; del: string[] }>();
    for (const { entity, key, row, add } of this.rows.values()) {
      const t = tables.get(entity) ?? { add: [], put: [], del: [] };
      if (!row) t.del.push(key);
      else if (add) t.add.push(row);
      else t.put.push(row);
      tables.set(entity, t);
    }
    for (const [entity, { add, put, del }] of tables) {
      if (add.length > 0) this.issued.push(this.tx.addRows(entity, add));
      if (put.length > 0) this.issued.push(this.tx.putRows(entity, put));
      if (del.length > 0) this.issued.push(this.tx.deleteRows(entity, del));
    }
    if (this.mutations.length > 0) this.issued.push(this.tx.addMutations(this.mutations.map(storedForm)));
    this.rows.clear();
    this.mutations = [];
    return Promise.all(this.issued.splice(0));
  }
}
