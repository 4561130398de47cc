import { describe, expect, test } from 'vitest';
import { createDemandContentCache } from '../../../src/modules/classification/demand-content.cache';
import { demandContent, findDuplicateCandidates } from '../../../src/modules/classification/similarity.models';
import { createJiebaTokenizer } from '../../../src/shared/text/tokenizer';

const jieba = createJiebaTokenizer();

/** jieba, counting the texts it is asked to cut. */
function countingTokenizer() {
  const calls: string[] = [];
  return { calls, tokenize: (text: string) => (calls.push(text), jieba(text)) };
}

describe('createDemandContentCache', () => {
  test('reads a text as demandContent does, and reads it once', () => {
    const { calls, tokenize } = countingTokenizer();
    const contentOf = createDemandContentCache({ tokenize });
    const first = contentOf('@小格 5号楼门口的垃圾好几天没人清理了，臭死了');
    expect(first).toEqual(demandContent('@小格 5号楼门口的垃圾好几天没人清理了，臭死了', jieba));
    expect(contentOf('@小格 5号楼门口的垃圾好几天没人清理了，臭死了')).toBe(first);
    expect(calls).toHaveLength(1);
  });

  test('keeps at most maxEntries texts and lets the least recently used go first', () => {
    const { calls, tokenize } = countingTokenizer();
    const contentOf = createDemandContentCache({ tokenize, maxEntries: 2 });
    contentOf('楼下路灯坏了');
    contentOf('垃圾没人清理');
    contentOf('楼下路灯坏了'); // now the most recent
    contentOf('楼上装修太吵了'); // "垃圾没人清理" leaves
    calls.length = 0;
    contentOf('楼下路灯坏了');
    contentOf('楼上装修太吵了');
    expect(calls).toHaveLength(0);
    contentOf('垃圾没人清理');
    expect(calls).toHaveLength(1);
  });

  test('the duplicate check finds the same candidates, in the same order, with or without the cache', () => {
    const now = new Date('2025-06-10T10:00:00+08:00');
    const candidates = ['3号楼下面的路灯不亮了', '垃圾没人清理', '3号楼路灯一闪一闪的，晚上还不亮', '楼下路灯坏了好几天了', '8号楼路灯坏了'].map(
      (text, i) => ({ id: i + 1, no: 1001 + i, text, createdAt: new Date(now.getTime() - (i + 1) * 3_600_000) }),
    );
    const contentOf = createDemandContentCache({ tokenize: jieba });
    let found = 0;
    for (const text of ['楼下路灯坏了', '3号楼路灯不亮', '楼道里垃圾没人清理']) {
      const afresh = findDuplicateCandidates({ text, candidates, now, tokenize: jieba });
      expect(findDuplicateCandidates({ text, candidates, now, tokenize: jieba, contentOf })).toEqual(afresh);
      expect(findDuplicateCandidates({ text, candidates, now, tokenize: jieba, contentOf })).toEqual(afresh);
      found += afresh.length;
    }
    expect(found).toBeGreaterThan(0);
  });
});
