import { describe, expect, it } from 'vitest';
import { levelName } from '../../../src/modules/grids/grids.models';

describe('levelName: levels named as the unit is', () => {
  it('a 镇 and its 村 are called 镇 and 村, not 街道 and 社区', () => {
    expect(levelName({ name: '东城镇', level: 'town' })).toBe('镇');
    expect(levelName({ name: '青石村', level: 'community' })).toBe('村');
    expect(levelName({ name: '北岭乡', level: 'town' })).toBe('乡');
    expect(levelName({ name: '石桥村村委会', level: 'community' })).toBe('村');
  });

  it('a 街道 and its 社区 keep their names', () => {
    expect(levelName({ name: '城关街道', level: 'town' })).toBe('街道');
    expect(levelName({ name: '柳岸社区', level: 'community' })).toBe('社区');
    expect(levelName({ name: '柳岸居委会', level: 'community' })).toBe('社区');
    expect(levelName({ name: '城关区', level: 'district' })).toBe('区');
    expect(levelName({ name: '平和县', level: 'district' })).toBe('县');
  });

  it('falls back to the generic name when the name says nothing, or says a level the unit is not', () => {
    expect(levelName({ name: '滨江片区', level: 'town' })).toBe('街道');
    expect(levelName({ name: '柳岸社区第一网格', level: 'grid' })).toBe('网格');
    expect(levelName({ name: '一组', level: 'grid' })).toBe('网格');
    // A grid named after its village is still a grid, a town named 某某村 still a town.
    expect(levelName({ name: '青石村', level: 'grid' })).toBe('网格');
    expect(levelName({ name: '老村', level: 'town' })).toBe('街道');
    // The bare suffix is no name to read a level from.
    expect(levelName({ name: '镇', level: 'town' })).toBe('街道');
  });
});
