import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_SCORE, passwordProblem, passwordUserInputs } from '../../../src/modules/auth/auth.models';
import { loadStrengthChecker } from '../../../src/modules/auth/password-strength';
import { oneTimePassword } from '../../../src/seed/demo';

const user = { username: 'zhangwei01', name: '张伟', units: ['柳岸社区第一网格', '柳岸社区'] };
const inputs = passwordUserInputs(user);

describe('the password rule', () => {
  it('refuses common, patterned and pinyin passwords that pass a character-class rule', { timeout: 30_000 }, async () => {
    const check = await loadStrengthChecker();
    for (const weak of ['Password12', 'Passw0rd!!', 'Qwerty1234', 'Woaini1314!', 'zhongguo2024', 'Woaini5201314', 'Gridline2026', 'Zhangwei1988', 'beijing2008!', 'Aa123456789']) {
      const strength = check(weak, inputs);
      expect(passwordProblem({ password: weak, username: user.username, strength }), `${weak} scored ${strength.score}`).toBe('too_weak');
    }
  });

  it('gives its reasons in Chinese', { timeout: 30_000 }, async () => {
    const check = await loadStrengthChecker();
    const { warning, suggestions } = check('Password12', inputs);
    const text = [warning, ...suggestions].join('');
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).not.toMatch(/[A-Za-z]{4}/);
  });

  it('takes the user’s own name and units as guessable words', { timeout: 30_000 }, async () => {
    const check = await loadStrengthChecker();
    expect(check('柳岸社区第一网格2024', inputs).score).toBeLessThan(MIN_PASSWORD_SCORE);
  });

  it('accepts a long unrelated phrase and every one-time password the product generates', { timeout: 30_000 }, async () => {
    const check = await loadStrengthChecker();
    expect(check('Nine-lives-2026', inputs).score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
    expect(check('correct horse battery staple', inputs).score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
    for (let i = 0; i < 40; i++) {
      const generated = oneTimePassword();
      const strength = check(generated, inputs);
      expect(passwordProblem({ password: generated, username: user.username, strength }), generated).toBeNull();
    }
  });
});
