/** A one-line progress bar on stderr (redrawn in place on a terminal, a line every 5% or 30 s otherwise). */
export function createProgress(label: string, total: number) {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastStep = -1;
  let lastLine = 0;
  let lastDraw = 0;
  const draw = (done: number, final = false) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line =
      `${label.padEnd(16)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${(fraction * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ` +
      `${Math.round(rate).toLocaleString('en-US')}/s ${final ? `${elapsed.toFixed(1)}s` : `eta ${eta.toFixed(0)}s`}`;
    if (tty) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else {
      // Not a terminal (a log file): a line every 5%, or every 30 s on a slow machine.
      const step = Math.floor(fraction * 20);
      const now = performance.now();
      if (final || step > lastStep || now - lastLine > 30_000) {
        lastStep = step;
        lastLine = now;
        process.stderr.write(`${line}\n`);
      }
    }
  };
  return {
    update(done: number) {
      const now = performance.now();
      if (now - lastDraw < 200) return;
      lastDraw = now;
      draw(done);
    },
    done(doneCount = total) {
      draw(doneCount, true);
      return (performance.now() - started) / 1000;
    },
  };
}
