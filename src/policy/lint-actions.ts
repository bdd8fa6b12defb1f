// Which SES actions a statement's Action list names: exact names by lookup, patterns by matching
// them against the SES action list (IAM compares actions case-insensitively, docs/spec/iam.md §2.2).

import { SES_ACTIONS } from './lint-facts-ses.js';
import { compileGlob, hasWildcard } from './glob.js';

const CANONICAL = new Map(SES_ACTIONS.map((a) => [a.toLowerCase(), a]));
/** Pattern -> matches; the console lints on every keystroke and patterns repeat. Bounded. */
const MEMO = new Map<string, string[]>();

export interface ActionScope {
  /** Canonical SES action names the list matches. */
  ses: ReadonlySet<string>;
  /** Every entry has the `ses:` prefix (so no other service's request is concerned). */
  onlySes: boolean;
}

/** The canonical spelling of an SES action name (without prefix), if it is one. */
export const canonicalSesAction = (name: string): string | undefined => CANONICAL.get(name.toLowerCase());

/** SES action names matching an action pattern's name part (`Send*`). */
export function matchSesActions(namePattern: string): string[] {
  if (!hasWildcard(namePattern)) {
    const a = canonicalSesAction(namePattern);
    return a ? [a] : [];
  }
  const memo = MEMO.get(namePattern);
  if (memo) return memo;
  const m = compileGlob(namePattern, true);
  const found = SES_ACTIONS.filter((a) => m(a.toLowerCase()));
  if (MEMO.size > 500) MEMO.clear();
  MEMO.set(namePattern, found);
  return found;
}

export function actionScope(actions: readonly string[]): ActionScope {
  const ses = new Set<string>();
  let onlySes = true;
  for (const action of actions) {
    if (action === '*') {
      for (const a of SES_ACTIONS) ses.add(a);
      onlySes = false;
      continue;
    }
    const colon = action.indexOf(':');
    const vendor = action.slice(0, colon);
    const name = action.slice(colon + 1);
    if (vendor.toLowerCase() !== 'ses') {
      onlySes = false;
      // `*:Send*` or `s*:...` can still reach SES actions.
      if (hasWildcard(vendor) && compileGlob(vendor, true)('ses'))
        for (const a of matchSesActions(name)) ses.add(a);
      continue;
    }
    for (const a of matchSesActions(name)) ses.add(a);
  }
  return { ses, onlySes };
}
