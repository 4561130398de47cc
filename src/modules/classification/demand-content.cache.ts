import type { Tokenize } from '../../shared/text/tokenizer';
import { type DemandContent, demandContent } from './similarity.models';

export type DemandContentOf = (text: string) => DemandContent;

/**
 * demandContent, kept for the texts read most recently. Each demand is compared with the open orders of its
 * grid from the last days, so the same few hundred texts per grid are read again at every demand; reading one
 * (markers, rewrites, jieba, n-grams) costs far more than comparing two. Keyed by the text itself, so nothing
 * can go stale; at most `maxEntries` texts are kept, the least recently used leave first.
 */
export function createDemandContentCache({ tokenize, maxEntries = 10_000 }: { tokenize: Tokenize; maxEntries?: number }): DemandContentOf {
  const cache = new Map<string, DemandContent>();
  return (text) => {
    const cached = cache.get(text);
    if (cached) {
      // A Map iterates in insertion order: re-inserting makes this the most recently used.
      cache.delete(text);
      cache.set(text, cached);
      return cached;
    }
    const content = demandContent(text, tokenize);
    cache.set(text, content);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return content;
  };
}
