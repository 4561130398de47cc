/** A second process holding a data folder's lock, as a running Gridline does: prints "locked", holds until killed. */
import { acquireLockFile } from '../../src/db/lock';

const release = acquireLockFile(process.argv[2]!);
process.on('SIGTERM', () => {
  release();
  process.exit(0);
});
process.stdout.write('locked\n');
setInterval(() => {}, 60_000);
