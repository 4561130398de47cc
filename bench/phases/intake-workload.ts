import type { SubmitDemandInput } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import type { BenchDb } from '../lib/bench-db';
import { createRng } from '../lib/rng';
import { createDemandTextSource } from '../synthetic/texts';

export type IntakeWorkload = {
  /** The next demand, as the bot would pass it to submitDemand: a resident of a grid writing in the grid's group. */
  next(key: string): SubmitDemandInput;
};

/**
 * Demands spread over the whole district (any grid, one of its residents, in its group), with the fixture
 * texts varied as the synthetic history was: the duplicate check meets realistic recent orders.
 */
export async function createIntakeWorkload({ bench, seed }: { bench: BenchDb; seed: number }): Promise<IntakeWorkload> {
  const residents = await bench.query<{ id: number; grid_id: number }>('select id, grid_id from residents where grid_id is not null order by id');
  const groups = await bench.query<{ id: number; grid_id: number }>('select id, grid_id from chat_groups where grid_id is not null');
  const byGrid = new Map<number, number[]>();
  for (const r of residents) byGrid.set(r.grid_id, [...(byGrid.get(r.grid_id) ?? []), r.id]);
  const groupOf = new Map(groups.map((g) => [g.grid_id, g.id]));
  const grids = [...byGrid.keys()];
  if (grids.length === 0) throw new Error('no residents: load the synthetic data first');
  const rng = createRng(seed);
  const texts = createDemandTextSource({ rng });
  return {
    next(key) {
      const gridId = rng.pick(grids);
      const demand = texts.next();
      return {
        sourceMessageId: key,
        channel: 'group',
        residentId: rng.pick(byGrid.get(gridId)!),
        gridId,
        chatGroupId: groupOf.get(gridId) ?? null,
        text: demand.text,
      };
    },
  };
}
