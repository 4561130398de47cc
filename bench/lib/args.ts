/** `--orders 20000 --quick --only intake,queries` → { orders: '20000', quick: true, only: 'intake,queries' }. */
export function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const following = argv[i + 1];
    if (inline !== undefined) out[key] = inline;
    else if (following !== undefined && !following.startsWith('--')) {
      out[key] = following;
      i++;
    } else out[key] = true;
  }
  return out;
}

export function intArg(args: Record<string, string | true>, key: string, fallback: number): number {
  const value = args[key];
  if (value === undefined || value === true) return fallback;
  const n = Number(value.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} needs a whole number, got ${value}`);
  return n;
}
