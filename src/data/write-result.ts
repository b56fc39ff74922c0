import type { z } from 'zod/mini';

/** A write either landed in the outbox or was refused field by field, before touching the database. */
export type WriteResult<T> = { ok: true; row: T } | { ok: false; issues: readonly z.core.$ZodIssue[] };
