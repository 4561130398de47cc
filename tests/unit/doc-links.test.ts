import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Relative Markdown link targets of a file (external URLs and in-page anchors left out). */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

describe('documentation links', () => {
  // The README once linked to a design file outside the repository, which a clone does not have.
  it.each(docs)('every relative link in %s names a file inside the repository that exists', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    for (const target of relativeLinks(text)) {
      const path = resolve(root, dirname(doc), target);
      expect(relative(root, path).startsWith('..'), `${doc} links outside the repository: ${target}`).toBe(false);
      expect(existsSync(path), `${doc} links to a missing file: ${target}`).toBe(true);
    }
  });
});
