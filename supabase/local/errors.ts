/**
 * Errors of the local stack. Each carries a one-line message meant to be printed as is: the CLI shows
 * `message` and exits, so it must say what went wrong and what to do.
 */
export const STACK_ERROR_KINDS = {
  /** A port the stack needs is taken: stop the other process or pick other ports. */
  portInUse: 'port_in_use',
  /** A binary (Postgres, PostgREST) is missing or cannot run here: reinstall or use a supported platform. */
  missingBinary: 'missing_binary',
  /** A migration, the bootstrap or the seed failed: fix the SQL file named in the message. */
  migrationFailed: 'migration_failed',
  /** A child process did not become ready in time or died: read its log lines above. */
  startFailed: 'start_failed',
  /** Asked to listen beyond this machine: the auth stand-in and the QA endpoints are loopback-only. */
  notLoopback: 'not_loopback',
} as const;

export type StackErrorKind = (typeof STACK_ERROR_KINDS)[keyof typeof STACK_ERROR_KINDS];

export class StackError extends Error {
  override readonly name = 'StackError';
  constructor(
    readonly kind: StackErrorKind,
    message: string,
  ) {
    super(message);
  }
}
