// How `sesame` ends when it cannot start: an error that knows its exit code (ConfigError: 2, a bad
// setting; a store that never answered: 1) is printed as one line, without a stack. Anything else
// is a bug and keeps its stack.

/** An error the operator can act on: its message is the whole story. */
export interface OperatorFacingError extends Error {
  exitCode: number;
}

export function isOperatorFacing(e: unknown): e is OperatorFacingError {
  return e instanceof Error && typeof (e as { exitCode?: unknown }).exitCode === 'number';
}

/** Prints `sesame: <message>` on one line and exits with the error's code; rethrows anything else. */
export function exitOnStartupError(e: unknown): never {
  if (!isOperatorFacing(e)) throw e;
  process.stderr.write(`sesame: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(e.exitCode);
}
