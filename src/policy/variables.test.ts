import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.js';
import { parseTemplate, resolveTemplate, resolveTemplateText } from './variables.js';

describe('policy variables (docs/spec/iam.md §3.7)', () => {
  it('returns null for strings without variables', () => {
    expect(parseTemplate('arn:aws:s3:::b/*')).toBeNull();
    expect(parseTemplate('a$b{c}')).toBeNull();
  });

  it('parses keys case-insensitively, with defaults and special constants', () => {
    const t = parseTemplate("home/${AWS:UserName}/${aws:PrincipalTag/team, 'none'}/${*}")!;
    expect(t.keys).toEqual(['aws:username', 'aws:principaltag/team']);
    expect(resolveTemplateText(t, { 'aws:username': 'bob' })).toBe('home/bob/none/*');
  });

  it('substitutes values literally: a * in the value is not a wildcard', () => {
    const t = parseTemplate('u/${aws:username}')!;
    const r = resolveTemplate(t, { 'aws:username': 'a*' })!;
    expect(globMatch(r.text, r.mask, 'u/a*')).toBe(true);
    expect(globMatch(r.text, r.mask, 'u/abc')).toBe(false);
  });

  it('keeps the wildcards of the policy text around a substitution', () => {
    const r = resolveTemplate(parseTemplate('u/${aws:username}/*')!, { 'aws:username': 'bob' })!;
    expect(globMatch(r.text, r.mask, 'u/bob/x/y')).toBe(true);
    expect(globMatch(r.text, r.mask, 'u/bobby/x')).toBe(false);
  });

  it('${*} ${?} ${$} are literal characters', () => {
    const r = resolveTemplate(parseTemplate('${*}${?}${$}')!, {})!;
    expect(globMatch(r.text, r.mask, '*?$')).toBe(true);
    expect(globMatch(r.text, r.mask, 'ab$')).toBe(false);
  });

  it('a missing key without default is null; a multivalued key counts as missing', () => {
    const t = parseTemplate('${aws:username}')!;
    expect(resolveTemplate(t, {})).toBeNull();
    expect(resolveTemplateText(t, { 'aws:username': ['a'] })).toBeNull();
  });

  it('an unterminated ${ is literal text', () => {
    expect(parseTemplate('a${aws:username')).toBeNull();
  });
});
