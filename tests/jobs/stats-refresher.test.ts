import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboard } from '../../src/modules/stats/dashboard.usecases';
import { startStatsRefresher } from '../../src/modules/stats/stats.job';
import { readStatsState } from '../../src/modules/stats/stats.usecases';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { createTestContext, type TestContext } from '../helpers/context';

describe('the figures refresher', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it('brings the rollups up to date as soon as it starts, and stops cleanly', async () => {
    await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'r-1', channel: 'group', residentId: await t.residentId('陈阿姨'), gridId: await t.gridId('D01-T01-C01-G01'), text: '路灯坏了', categoryCode: 'streetlight', checkDuplicates: false },
    });
    const refresher = startStatsRefresher({ ctx: t, schedule: '0 0 1 1 *' });
    await refresher.stop();
    expect((await readStatsState(t.db)).refreshedAt).toEqual(t.clock.now());
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: { from: '2026-11-23', to: '2026-11-23' } });
    expect(d!.total.counts.submitted).toBe(1);
  });

  it('refuses a malformed schedule at start', () => {
    expect(() => startStatsRefresher({ ctx: t, schedule: 'every minute' })).toThrow(/cron/);
  });
});
