// Lint rules for Condition blocks: unknown keys, keys no SES request carries, set operators used
// wrongly (ses:Recipients is the multivalued SES key), operators of the wrong type, and values SES
// never sends.

import type { ActionScope } from './lint-actions.js';
import { parseCidr } from './conditions/ip.js';
import { parseNumeric } from './conditions/numeric.js';
import { SES_API_VERSIONS } from './lint-facts-ses.js';
import { compileGlob, hasWildcard } from './glob.js';
import { isMultivalued, isNegated, KNOWN_KEY_NAMES, keyInfo, outcomeWhenAbsent } from './lint-keys.js';
import type { RuleFinding } from './lint-rules.js';
import { closestName } from './lint-suggest.js';
import type { ConditionClause, PolicyType, Statement } from './types.js';

type Emit = (f: Omit<RuleFinding, 'statement'>) => void;

const q = (s: string): string => JSON.stringify(s);

/** What an always-false (or always-true) condition does to its statement, in words. */
function consequence(s: Statement, alwaysTrue: boolean): string {
  if (alwaysTrue) return 'so the condition is always true and restricts nothing';
  return s.effect === 'Allow'
    ? 'so the condition is always false and this statement never allows anything'
    : 'so the condition is always false and this statement never denies anything';
}

const FAMILY: Record<string, string> = {
  String: 'text',
  Numeric: 'numbers',
  Date: 'dates',
  Bool: 'booleans',
  Binary: 'binary values',
  Ip: 'IP addresses',
  Arn: 'ARNs',
};

const TYPE_WORDS: Record<string, string> = {
  String: 'a string',
  ArrayOfString: 'a multivalued string',
  ARN: 'an ARN',
  Bool: 'a boolean',
  Date: 'a date',
  Numeric: 'a numeric',
  IPAddress: 'an IP address',
};

function family(base: string): keyof typeof FAMILY | 'Null' {
  if (base === 'Null') return 'Null';
  if (base === 'IpAddress' || base === 'NotIpAddress') return 'Ip';
  for (const f of ['String', 'Numeric', 'Date', 'Bool', 'Binary', 'Arn'] as const)
    if (base.startsWith(f)) return f;
  return 'String';
}

export function lintConditions(
  s: Statement,
  type: PolicyType,
  scope: ActionScope | undefined,
  emit: Emit,
): void {
  const nullFalse = new Set(
    s.conditions
      .filter((c) => c.base === 'Null' && c.values.every((v) => v.toLowerCase() === 'false'))
      .map((c) => c.key.toLowerCase()),
  );
  for (const c of s.conditions) lintClause(s, c, type, scope, nullFalse, emit);
}

function lintClause(
  s: Statement,
  c: ConditionClause,
  type: PolicyType,
  scope: ActionScope | undefined,
  nullFalse: ReadonlySet<string>,
  emit: Emit,
): void {
  const path = ['Condition', c.operator, c.key];
  const info = keyInfo(c.key);
  const absent = outcomeWhenAbsent(c);

  if (type === 'resource' && info.namespace === 'aws' && !c.key.startsWith('aws:')) {
    emit({
      code: 'uppercase-condition-prefix',
      severity: 'warning',
      path,
      message: `SES refuses sending authorization policies that write the prefix in capitals ("Unknown or unapplicable condition field '${c.key}'"). Write ${q(`aws:${c.key.slice(4)}`)}.`,
    });
  }

  if (!info.fact && (info.namespace === 'ses' || info.namespace === 'aws')) {
    const near = closestName(c.key, KNOWN_KEY_NAMES);
    emit({
      code: 'unknown-condition-key',
      severity: 'warning',
      path,
      message:
        `${q(c.key)} is not a condition key of ${info.namespace === 'ses' ? 'SES' : 'AWS'}` +
        (near ? ` (did you mean ${q(near)}?)` : '') +
        `. No request carries it, ${consequence(s, absent)}.`,
    });
    return;
  }

  if (scope && scope.onlySes && info.namespace !== 'ses' && info.namespace !== 'aws') {
    emit({
      code: 'condition-key-not-supplied',
      severity: 'warning',
      path,
      message: `SES requests never carry ${q(c.key)} (only ses: and aws: keys), ${consequence(s, absent)}.`,
    });
    return;
  }

  const fact = info.fact;
  if (!fact) return;

  if (fact.actions && scope && scope.onlySes && scope.ses.size > 0) {
    const carrying = [...scope.ses].filter((a) => fact.actions?.includes(a));
    if (carrying.length === 0) {
      const names = [...scope.ses].slice(0, 3).map((a) => `ses:${a}`);
      emit({
        code: 'condition-key-not-supplied',
        severity: 'warning',
        path,
        message:
          `${fact.name} is not part of ${names.join(', ')}${scope.ses.size > 3 ? ', ...' : ''} requests ` +
          `(SES supplies it only for ${fact.actions.map((a) => `ses:${a}`).join(', ')}), ${consequence(s, absent)}.`,
      });
    }
  }

  const multi = isMultivalued(fact);
  if (multi && !c.qualifier && c.base !== 'Null') {
    const verb =
      s.effect === 'Allow' ? 'this Allow never grants anything' : 'this Deny never denies anything';
    const fix = isNegated(c.base)
      ? `Use "ForAnyValue:${c.base}" to match when at least one value is outside the list, or "ForAllValues:${c.base}" when none of them may be in it`
      : `Use "ForAllValues:${c.base}" to require every value to match, or "ForAnyValue:${c.base}" for at least one`;
    emit({
      code: 'single-valued-operator-on-multivalued-key',
      severity: 'warning',
      path,
      message:
        `${fact.name} is multivalued${fact.name === 'ses:Recipients' ? ' (every To, Cc and Bcc address of the message)' : ''}, ` +
        `and ${c.operator} without ForAllValues:/ForAnyValue: matches no request that carries it: ${verb} for those requests. ${fix}.`,
    });
  }

  if (!multi && c.qualifier) {
    const forAll = c.qualifier === 'ForAllValues';
    emit({
      code: 'set-operator-on-single-valued-key',
      severity: forAll ? 'warning' : 'suggestion',
      path,
      message: forAll
        ? `${fact.name} has a single value, so ${c.qualifier}: adds nothing except that the condition is also true when the request lacks ${fact.name}. Use "${c.operator.slice(c.qualifier.length + 1)}".`
        : `${fact.name} has a single value: ${c.qualifier}: works like plain "${c.operator.slice(c.qualifier.length + 1)}", which says what you mean.`,
    });
  }

  if (
    multi &&
    c.qualifier === 'ForAllValues' &&
    s.effect === 'Allow' &&
    !nullFalse.has(c.key.toLowerCase())
  ) {
    // An SES send always has recipients: ses:Recipients on send actions only is never absent.
    const alwaysCarried =
      fact.actions !== undefined &&
      scope !== undefined &&
      scope.onlySes &&
      scope.ses.size > 0 &&
      [...scope.ses].every((a) => fact.actions?.includes(a));
    if (!alwaysCarried) {
      emit({
        code: 'for-all-values-allows-absent-key',
        severity: 'warning',
        path,
        message:
          `${c.operator} is true when the request has no ${fact.name} at all (every value of an empty set matches), ` +
          `so this Allow also grants the requests that carry no ${fact.name}. Add "Null": {${q(fact.name)}: "false"} to require the key.`,
      });
    }
  }

  const fam = family(c.base);
  const typeWord = TYPE_WORDS[fact.type];
  const mismatch =
    (fam === 'Date' && fact.type !== 'Date') ||
    (fam === 'Numeric' && fact.type !== 'Numeric' && fact.name !== 'aws:EpochTime') ||
    (fam === 'Ip' && fact.type !== 'IPAddress') ||
    (fam === 'Bool' && fact.type !== 'Bool') ||
    (fam === 'Arn' && fact.type !== 'ARN' && !/arn$/i.test(fact.name)) ||
    (fam === 'String' && (fact.type === 'IPAddress' || fact.type === 'Date'));
  if (mismatch) {
    const better =
      fact.type === 'IPAddress'
        ? 'IpAddress / NotIpAddress'
        : fact.type === 'Date'
          ? 'DateLessThan / DateGreaterThan'
          : fact.type === 'Bool'
            ? 'Bool'
            : fact.type === 'Numeric'
              ? 'NumericEquals / NumericLessThan'
              : fact.type === 'ARN'
                ? 'ArnLike / ArnEquals'
                : 'StringEquals / StringLike';
    const why =
      fam === 'String'
        ? `it compares the text, so ${fact.type === 'IPAddress' ? 'CIDR ranges never match' : 'equal instants written differently do not match'}`
        : `the request's values never read as ${FAMILY[fam]}, ${consequence(s, isNegated(c.base))}`;
    emit({
      code: 'operator-type-mismatch',
      severity: 'warning',
      path,
      message: `${c.operator} compares ${FAMILY[fam]}, but ${fact.name} is ${typeWord} key: ${why}. Use ${better}.`,
    });
  }

  lintValues(c, fam, fact.name, emit);
}

function lintValues(c: ConditionClause, fam: string, keyName: string, emit: Emit): void {
  const at = (j: number): (string | number)[] => ['Condition', c.operator, c.key, j];
  c.values.forEach((v, j) => {
    const variable = v.includes('${');
    if (fam === 'String' && keyName === 'ses:ApiVersion' && !variable) {
      const like = c.base.includes('Like');
      const ci = c.base.includes('IgnoreCase');
      const m = like ? compileGlob(v) : (x: string) => (ci ? x.toLowerCase() === v.toLowerCase() : x === v);
      if (!SES_API_VERSIONS.some((x) => m(x)))
        emit({
          code: 'invalid-condition-value',
          severity: 'warning',
          path: at(j),
          message: `SES sends ses:ApiVersion "1" (Query API v1) or "2" (API v2 and SMTP); ${q(v)} matches neither. Write "1" or "2".`,
        });
    }
    if (fam === 'Ip' && parseCidr(v) === null)
      emit({
        code: 'invalid-condition-value',
        severity: 'warning',
        path: at(j),
        message: `${q(v)} is not an IP address or CIDR range (e.g. "203.0.113.0/24", "2001:db8::/32"); it never matches.`,
      });
    if (fam === 'Bool' && !variable && v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false')
      emit({
        code: 'invalid-condition-value',
        severity: 'warning',
        path: at(j),
        message: `Bool compares with "true" or "false"; ${q(v)} never matches.`,
      });
    if (fam === 'Numeric' && parseNumeric(v) === null)
      emit({
        code: 'invalid-condition-value',
        severity: 'warning',
        path: at(j),
        message: `${q(v)} is not a number; ${c.operator} never matches it.`,
      });
    if (
      fam === 'String' &&
      !variable &&
      (c.base === 'StringEquals' || c.base === 'StringNotEquals') &&
      hasWildcard(v)
    )
      emit({
        code: 'equals-with-wildcard',
        severity: 'warning',
        path: at(j),
        message: `${c.operator} compares literally: ${q(v)} matches only a value that contains the ${v.includes('*') ? '*' : '?'} itself. Use ${c.base === 'StringEquals' ? 'StringLike' : 'StringNotLike'} for a pattern.`,
      });
    if (fam === 'String' && !variable && c.base.includes('Like') && !hasWildcard(v))
      emit({
        code: 'like-without-wildcard',
        severity: 'suggestion',
        path: at(j),
        message: `${q(v)} has no * or ?, so ${c.operator} matches exactly ${q(v)} (not values that contain it). Use ${c.base === 'StringLike' ? 'StringEquals' : 'StringNotEquals'}, or ${q(`*${v}*`)} to match values containing it.`,
      });
  });
}
