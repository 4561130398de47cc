import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('npm scripts', () => {
  // `npm run db:migrate` and `npm run seed:demo` once named files that did not exist.
  it.each(Object.entries(pkg.scripts))('%s runs files that exist', (_name, command) => {
    const files = command.split(/\s+/).filter((word) => /\.(ts|mts|js|mjs)$/.test(word));
    for (const file of files) expect(existsSync(new URL(`../../${file}`, import.meta.url)), file).toBe(true);
  });
});
