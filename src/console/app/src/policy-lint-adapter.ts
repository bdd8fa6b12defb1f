// The one seam between the console and the policy linter (src/policy/lint.ts, pure TS, bundled by
// Vite). Swap this line to change linters; nothing else imports the linter directly.
export * from '../../../policy/lint.js';
export type { PolicyType } from '../../../policy/index.js';
