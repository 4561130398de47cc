import { describe, expect, it } from 'vitest';
import { html, raw } from '../../../src/http/views/html';
import { afterFailure, passwordProblem, scopeOf, throttleCheck } from '../../../src/modules/auth/auth.models';
import { derivePaths } from '../../../src/modules/grids/grids.import.models';
import { safeNext } from '../../../src/modules/auth/auth.routes';
import { csvLine, parseCsv } from '../../../src/shared/text/csv';

describe('the html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `"><script>alert('x')</script>&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('joins arrays, nests templates without escaping them twice, and drops null, undefined and false', () => {
    const items = ['<a>', 'b'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
    expect(html`${raw('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', '=SUM(A1)', '+1', 'line\nbreak', 3, null])).toBe(`"a,b","say ""hi""",'=SUM(A1),'+1,"line\nbreak",3,\r\n`);
  });

  it('reads quoted fields, a BOM, CRLF and blank lines, with each row\'s line number', () => {
    expect(parseCsv('\uFEFFa,"b,c"\r\n\r\n"x\n""y""",z\n')).toEqual([
      { line: 1, fields: ['a', 'b,c'] },
      { line: 3, fields: ['x\n"y"', 'z'] },
    ]);
  });
});

describe('account rules', () => {
  it('a scope keeps only the topmost of nested paths, and admins see all', () => {
    const role = (unitPath: string, r: 'officer' | 'leader' | 'admin' = 'officer') => ({ unitId: 1, unitPath, level: 'town' as const, role: r });
    expect(scopeOf({ roles: [role('/1/2/4/', 'leader'), role('/1/2/'), role('/1/3/')] })).toEqual({ all: false, paths: ['/1/2/', '/1/3/'] });
    expect(scopeOf({ roles: [role('/1/', 'admin')] })).toEqual({ all: true });
  });

  it('the fifth failure within the window locks, a failure after the window starts a new count', () => {
    const rule = { maxFailures: 5, windowMs: 60_000, lockMs: 120_000 };
    let state;
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < 4; i++) state = afterFailure(state, new Date(t0.getTime() + i * 1000), rule);
    expect(state!.lockedUntil).toBeNull();
    state = afterFailure(state, new Date(t0.getTime() + 5000), rule);
    expect(state.lockedUntil).toEqual(new Date(t0.getTime() + 125_000));
    expect(throttleCheck(state, new Date(t0.getTime() + 60_000)).allowed).toBe(false);
    expect(throttleCheck(state, new Date(t0.getTime() + 125_001)).allowed).toBe(true);
    expect(afterFailure(state, new Date(t0.getTime() + 200_000), rule).failures).toBe(1);
  });

  it('a new password must be long enough, not too long, not the username, and strong by the estimate', () => {
    const strong = { score: 4 };
    expect(passwordProblem({ password: 'short1', username: 'admin', strength: strong })).toBe('too_short');
    expect(passwordProblem({ password: 'x'.repeat(1001), username: 'admin', strength: strong })).toBe('too_long');
    expect(passwordProblem({ password: 'admin-2026-xyz', username: 'admin', strength: strong })).toBe('same_as_username');
    expect(passwordProblem({ password: 'aaaaaaaaaaaa', username: 'admin', strength: { score: 2 } })).toBe('too_weak');
    expect(passwordProblem({ password: 'Grid-line-2026', username: 'admin', strength: { score: 3 } })).toBeNull();
  });

  it('after log-in, only paths of this site are followed', () => {
    expect(safeNext('/console/orders?q=1')).toBe('/console/orders?q=1');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '/login', undefined, 'console']) expect(safeNext(bad)).toBe('/console');
  });
});

describe('grid paths', () => {
  it('are derived from parent links, whatever the order of the rows', () => {
    const paths = derivePaths([
      { id: 7, parentId: 3 },
      { id: 1, parentId: null },
      { id: 3, parentId: 1 },
    ]);
    expect(Object.fromEntries(paths)).toEqual({ 1: '/1/', 3: '/1/3/', 7: '/1/3/7/' });
  });
});
