/**
 * `tsx bench/lib/cpuprofile-summary.ts file.cpuprofile [top]`: self time and inclusive time per function of a
 * V8 CPU profile (node --cpu-prof), to find what bounds a run without opening DevTools.
 */
import { readFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

export function summarize(profile: Profile, top = 30): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const name = (n: Node) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/|work\/main\/)/, '')}:${n.callFrame.lineNumber + 1}`;
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const node = byId.get(id)!;
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = name(byId.get(cur)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((v / all) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)}ms  ${k}`)
      .join('\n');
  return `total ${(all / 1000).toFixed(0)}ms\n-- self --\n${fmt(self)}\n-- inclusive --\n${fmt(total)}`;
}

if (process.argv[1]?.endsWith('cpuprofile-summary.ts')) {
  const [file, top] = process.argv.slice(2);
  console.log(summarize(JSON.parse(readFileSync(file!, 'utf8')) as Profile, Number(top ?? 30)));
}
