import { consoleTexts } from '../../i18n/zh-CN.console';
import { PINYIN_AND_PROJECT_WORDS } from './password-words';

/** zxcvbn's estimate of a password: 0 (guessed at once) … 4 (very hard), with its feedback in Chinese. */
export type PasswordStrength = { score: number; warning: string | null; suggestions: string[] };
export type StrengthChecker = (password: string, userInputs: readonly string[]) => PasswordStrength;

let loading: Promise<StrengthChecker> | undefined;

/**
 * The strength checker, built on first use and kept: zxcvbn's English and common dictionaries plus the pinyin
 * and project words. Loading takes seconds and tens of MB (docs/reliability-notes), so nothing loads it before
 * somebody changes a password.
 */
export function loadStrengthChecker(): Promise<StrengthChecker> {
  loading ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      translations: consoleTexts.password.strength,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary, pinyin: [...PINYIN_AND_PROJECT_WORDS] },
      // The Levenshtein matcher costs ~0.7 s a check on this machine (against ~0.1 s) for little: off.
      useLevenshteinDistance: false,
    });
    return (password, userInputs) => {
      const result = zxcvbn.check(password, [...userInputs]);
      return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
    };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
