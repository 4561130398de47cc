import { describe, expect, it } from 'vitest';
import { chineseNumeralValue, compareNatural, sortTree } from '../../../src/modules/grids/grids.models';

const sorted = (names: string[]) => [...names].sort(compareNatural);

describe('natural order of grid names', () => {
  it('reads Chinese numerals', () => {
    expect(['一', '十', '十一', '二十', '二十三', '一百零五', '一〇三', '两千', '九'].map(chineseNumeralValue)).toEqual([1, 10, 11, 20, 23, 105, 103, 2000, 9]);
    expect(chineseNumeralValue('一二十')).toBeNull();
  });

  it('第二 < 第十 < 第十一 < 第二十, whatever order they come in', () => {
    const names = ['柳岸社区第二十网格', '柳岸社区第十一网格', '柳岸社区第二网格', '柳岸社区第十网格', '柳岸社区第一网格', '柳岸社区第三网格'];
    expect(sorted(names)).toEqual(['柳岸社区第一网格', '柳岸社区第二网格', '柳岸社区第三网格', '柳岸社区第十网格', '柳岸社区第十一网格', '柳岸社区第二十网格']);
    expect(compareNatural('第二', '第十')).toBeLessThan(0);
    expect(compareNatural('第十', '第十一')).toBeLessThan(0);
    expect(compareNatural('第十一', '第二十')).toBeLessThan(0);
  });

  it('1 < 2 < 10 with Arabic numbers, and mixed with Chinese ones by value', () => {
    expect(sorted(['10号网格', '2号网格', '1号网格'])).toEqual(['1号网格', '2号网格', '10号网格']);
    expect(sorted(['第3网格', '第十网格', '第二网格'])).toEqual(['第二网格', '第3网格', '第十网格']);
  });

  it('is a consistent order: antisymmetric, and equal only for the same name', () => {
    const names = ['第一网格', '第1网格', '东城社区', '三元里社区', '网格', '第十网格', 'A区', 'a区', ''];
    for (const a of names) {
      for (const b of names) {
        expect(Math.sign(compareNatural(a, b)) + 0).toBe(-Math.sign(compareNatural(b, a)) + 0);
        if (a !== b) expect(compareNatural(a, b)).not.toBe(0);
      }
    }
  });

  it('sorts a tree top-down with siblings in natural order', () => {
    const u = (id: number, path: string, name: string) => ({ id, path, name });
    const units = [
      u(1, '/1/', '城关区'),
      u(2, '/1/2/', '柳岸社区'),
      u(3, '/1/2/3/', '第十网格'),
      u(4, '/1/2/4/', '第二网格'),
      u(5, '/1/2/5/', '第十一网格'),
      u(6, '/1/2/6/', '第一网格'),
    ];
    // Path order (what the database gives) puts 第十 first.
    expect(sortTree(units).map((x) => x.name)).toEqual(['城关区', '柳岸社区', '第一网格', '第二网格', '第十网格', '第十一网格']);
    // A filtered list (grids only) still comes out in natural order.
    expect(sortTree(units.slice(2)).map((x) => x.name)).toEqual(['第一网格', '第二网格', '第十网格', '第十一网格']);
  });
});
