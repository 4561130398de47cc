import { describe, expect, it } from 'vitest';
import { privateReport } from '../../../src/modules/chat/privacy.models';

describe('a private report (举报, a complaint naming a neighbour)', () => {
  it.each([
    ['我要举报3号楼502那户人家天天高空抛物', 'report'],
    ['举报有人在小区里卖假药', 'report'],
    ['投诉楼上那家天天半夜装修，吵得睡不着', 'neighbour'],
    ['隔壁邻居养狗天天叫，跟他说了也不管', 'neighbour'],
    ['楼下的人把垃圾堆放在楼道里', 'neighbour'],
    ['3-502的住户在楼顶违建', 'neighbour'],
    ['对门那家人天天骂人', 'neighbour'],
    ['隔壁老王在楼道里乱扔烟头', 'neighbour'],
    ['502室群租，住了十几个人', 'neighbour'],
  ])('%s → private (%s)', (text, why) => {
    expect(privateReport(text)).toEqual({ private: true, why });
  });

  it.each([
    '投诉一下，3号楼门口的路灯坏了好几天了',
    '我家楼下那个下水道又堵了',
    '楼下的路灯不亮了',
    '隔壁单元的电梯坏了',
    '5号楼楼道灯坏了一个星期了',
    '小区门口垃圾没人收',
    '投诉物业，电梯天天坏',
    '楼上漏水，天花板都湿了',
    '302室门口的灯坏了',
  ])('%s → not private', (text) => {
    expect(privateReport(text)).toEqual({ private: false });
  });
});
