import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories } from '../../../src/modules/categories/categories.table';
import { classifyDemand } from '../../../src/modules/classification/classification.models';
import { loadCorrections } from '../../../src/modules/classification/classifier.repository';
import { changeCategory } from '../../../src/modules/work-orders/handling/order-actions.usecases';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { startScheduler } from '../../../src/jobs/scheduler';
import { createTestContext, type TestContext } from '../../helpers/context';

describe('the classifier learns the categories officers correct in the console', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it('a corrected order teaches the model at the next retraining', async () => {
    const text = '3号楼旁边那台自动售货机吞钱不吐东西';
    const all = await t.db.select().from(categories);
    const classify = async () => classifyDemand({ text, categories: all, tokenize: t.tokenize, model: await t.classifier.model() }).categoryCode;
    const before = await classify();
    // Whatever it guessed, the officer files it somewhere else.
    const corrected = before === 'greening' ? 'noise' : 'greening';

    const result = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'learn-1', channel: 'group', residentId: await t.residentId('陈阿姨'), gridId: await t.gridId('D01-T01-C01-G01'), text },
    });
    if (result.outcome !== 'created') throw new Error(result.outcome);
    const target = all.find((c) => c.code === corrected)!;
    await changeCategory({ deps: t.orderDeps, ref: { id: result.order.id }, actor: await t.staffActor('张伟'), channel: 'console', categoryId: target.id, urgency: 'normal' });

    expect(await loadCorrections(t.db)).toEqual([{ text, category: corrected, urgent: false }]);
    expect(await classify()).toBe(before); // not before the retraining
    const run = await t.classifier.retrain();
    expect(run).toMatchObject({ corrections: 1 });
    expect(run.examples).toBeGreaterThanOrEqual(300);
    expect(await classify()).toBe(corrected);
  });

  it('the jobs retrain the model when they start (and schedule the nightly run)', async () => {
    const before = t.classifier.lastRun();
    const scheduler = startScheduler({ ctx: t, catchUpOnStart: false, instance: 'retrain-test' });
    try {
      await expect.poll(() => t.classifier.lastRun() !== before, { timeout: 20_000 }).toBe(true);
      expect(t.classifier.lastRun()).toMatchObject({ corrections: 1 });
    } finally {
      await scheduler.stop();
    }
  });
});
