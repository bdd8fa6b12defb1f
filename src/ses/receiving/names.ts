// Names of rule sets, rules and filters. The model gives them no pattern, yet SES answers a
// character outside [a-zA-Z0-9_.-] with the front end's ValidationError, and a name that is longer
// than 64 characters or does not start and end with a letter or digit with InvalidParameterValue
// "Not a valid …" (observed on SES; filter names have only the second layer).
import { receiptErrors } from './errors.js';

const CHARACTERS = /^[a-zA-Z0-9_.-]+$/;
const ALNUM = /[a-zA-Z0-9]/;

function wellFormed(name: string): boolean {
  return name.length <= 64 && ALNUM.test(name[0] ?? '') && ALNUM.test(name[name.length - 1] ?? '');
}

/**
 * Checks a rule-set or rule name. `path` is the member path the front end would name
 * (`ruleSetName`, `rule.name`, `ruleName`, `after`, `originalRuleSetName`); `kind` the word of
 * the service-level message (`ruleSetName`, `ruleName`).
 */
export function checkName(name: string | undefined, path: string, kind: 'ruleSetName' | 'ruleName'): string {
  const value = name ?? '';
  if (value === '')
    throw receiptErrors.invalid(`${kind === 'ruleSetName' ? 'RuleSetName' : 'RuleName'} is required.`);
  if (!CHARACTERS.test(value)) throw receiptErrors.pattern(path);
  if (!wellFormed(value)) throw receiptErrors.invalid(`Not a valid ${kind}: ${value}`);
  return value;
}

/** Filter names: letters, digits, `_`, `-` (and `.`), starting and ending with a letter or digit. */
export function checkFilterName(name: string | undefined): string {
  const value = name ?? '';
  if (value === '') throw receiptErrors.invalid('FilterName is required.');
  if (!CHARACTERS.test(value) || !wellFormed(value))
    throw receiptErrors.invalid(`Not a valid filterName: ${value}`);
  return value;
}
