export type CategoryKind = 'consultation' | 'help' | 'complaint' | 'emergency';
export type Urgency = 'normal' | 'urgent';

export type CategorySeed = {
  code: string;
  name: string;
  kind: CategoryKind;
  /** What residents actually type; longer keywords weigh more in the classifier. */
  keywords: string[];
  defaultUrgency: Urgency;
  /** Normal orders: working days (12345 practice: consultation 2–3, help 3–10, complaint 13–15). */
  limitWorkingDays: number;
  /** Urgent orders: clock hours (2–24). */
  urgentLimitHours: number;
  sort: number;
};

/**
 * The demo categories. Codes are stable identifiers other modules refer to; names, keywords and limits are
 * editable by an admin once seeded. No category is urgent by default: urgency comes from what the message says
 * (fire, gas, people trapped ...), so a blocked fire exit is not treated like a fire.
 */
export const DEMO_CATEGORIES: CategorySeed[] = [
  {
    code: 'streetlight',
    name: '路灯照明',
    kind: 'help',
    keywords: [
      '路灯', '灯', '灯坏', '灯不亮', '不亮', '楼道灯', '声控灯', '感应灯', '照明', '照明灯', '庭院灯', '景观灯',
      '草坪灯', '灯泡', '灯管', '灯罩', '灯杆', '路灯杆', '一闪一闪', '闪烁', '忽明忽暗', '太黑', '黑漆漆',
      '黑乎乎', '黑灯瞎火', '摸黑', '看不见路', '没有灯', '装个灯', '装灯', '白天也亮', '一直亮', '不灭', '亮灯',
      '灯光',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 5,
    urgentLimitHours: 24,
    sort: 10,
  },
  {
    code: 'sanitation',
    name: '环境卫生',
    kind: 'help',
    keywords: [
      '垃圾', '拉圾', '垃圾桶', '垃圾站', '垃圾房', '垃圾堆', '垃圾车', '建筑垃圾', '装修垃圾', '大件垃圾',
      '垃圾分类', '清运', '没人清', '没人打扫', '打扫', '保洁', '卫生', '脏', '太脏', '脏乱差', '臭', '臭味',
      '发臭', '恶臭', '异味', '苍蝇', '蚊子', '蟑螂', '老鼠', '消杀', '打药', '公厕', '厕所', '下水道', '污水',
      '泔水', '小广告', '牛皮癣', '扔', '乱扔', '乱倒', '大件', '烟头', '油烟', '河道', '漂浮', '死鱼',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 3,
    urgentLimitHours: 12,
    sort: 20,
  },
  {
    code: 'noise',
    name: '噪音扰民',
    kind: 'complaint',
    keywords: [
      '噪音', '噪声', '扰民', '吵', '太吵', '吵死', '吵得', '吵闹', '睡不着', '大声',
      '声音', '音响', '喇叭', '大喇叭', '广场舞', '装修', '电钻', '砸墙', '施工', '夜间施工', '打桩', '工地',
      'ktv', '唱歌', '划拳', '跺脚', '拖椅子', '蹦蹦跳跳', '跑来跑去', '嗡嗡', '轰隆隆', '炸街', '鸣笛', '外机',
      '打麻将', '麻将', '叮叮咣咣', '练琴', '钢琴', '弹琴', '卡拉ok', '唱', '吵醒',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 13,
    urgentLimitHours: 24,
    sort: 30,
  },
  {
    code: 'water_leak',
    name: '漏水渗水',
    kind: 'help',
    keywords: [
      '漏水', '渗水', '漏雨', '滴水', '往下滴', '滴答', '漏', '水管', '水管爆', '爆管', '管子破', '管道破裂',
      '下水管', '暖气管', '自来水管', '天花板', '吊顶', '墙面', '墙皮', '发霉', '防水', '防水层', '卫生间',
      '湿透', '泡了', '冒水', '积水', '空调水', '水表', '消防栓', '往下流', '渗',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 5,
    urgentLimitHours: 4,
    sort: 40,
  },
  {
    code: 'utility_outage',
    name: '停水停电停气',
    kind: 'help',
    keywords: [
      '停水', '停电', '停气', '没水', '没电', '断水', '断电', '来电', '来水', '供水', '供电', '供电所', '供气',
      '燃气', '天然气', '燃气公司', '煤气', '液化气', '跳闸', '水压', '水压小', '暖气', '暖气不热', '供暖',
      '不热', '自来水', '水质', '发黄', '加压泵', '电压', '抢修', '检修', '停到', '打不着火', '打不着',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 3,
    urgentLimitHours: 4,
    sort: 50,
  },
  {
    code: 'road_occupation',
    name: '占道经营与乱停车',
    kind: 'complaint',
    keywords: [
      '占道', '占道经营', '摆摊', '摊贩', '摊子', '小摊', '流动摊贩', '地摊', '出店经营', '乱停', '乱停车',
      '乱停放', '违停', '停车', '双排停车', '堵路', '堵住', '堵了', '人行道', '占了', '占满', '车位', '地锁',
      '占车位', '僵尸车', '报废', '共享单车', '过不去', '盲道', '挡路', '货物', '过夜', '大货车',
      '停在', '停满', '挡道', '摆到', '摆在', '占路',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 13,
    urgentLimitHours: 24,
    sort: 60,
  },
  {
    code: 'neighbour_dispute',
    name: '邻里纠纷',
    kind: 'help',
    keywords: [
      '邻居', '邻里', '吵架', '吵起来', '骂人', '骂', '打架', '打起来', '纠纷', '矛盾', '调解',
      '协调', '沟通', '商量', '谈不拢', '说了也不听', '不听', '不改', '不肯', '不搬', '赔钱', '赔偿', '隐私',
      '摄像头', '侵犯', '占用公共', '公共走廊', '欺负',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 10,
    urgentLimitHours: 24,
    sort: 70,
  },
  {
    code: 'property_mgmt',
    name: '物业服务',
    kind: 'complaint',
    keywords: [
      '物业', '物业费', '物业公司', '物业经理', '保安', '门禁', '道闸', '电梯坏', '电梯故障', '电梯', '故障',
      '监控', '报修', '维修', '不修', '没人来', '服务差', '态度差', '态度', '收费', '乱收费', '停车费',
      '公共收益', '公示', '业委会', '业主', '开发商', '交房', '门锁', '锁坏', '充电桩',
      '水电费', '多收',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 15,
    urgentLimitHours: 24,
    sort: 80,
  },
  {
    code: 'dogs',
    name: '养犬管理',
    kind: 'complaint',
    keywords: [
      '狗', '犬', '狗狗', '遛狗', '屎', '拉屎', '牵绳', '拴绳', '不拴', '狗绳', '绳', '狗屎', '狗粪', '粪便', '狗叫', '犬吠',
      '咬', '咬人', '被咬', '流浪狗', '野狗', '大型犬', '烈性犬', '禁养', '藏獒', '狗主人', '宠物', '养狗',
      '流浪猫', '猫', '尿',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 13,
    urgentLimitHours: 24,
    sort: 90,
  },
  {
    code: 'illegal_building',
    name: '违章建筑',
    kind: 'complaint',
    keywords: [
      '违建', '违章', '违章建筑', '违法建设', '私搭乱建', '乱搭乱建', '搭建', '私搭', '加盖', '扩建', '盖房',
      '盖了', '建房', '搭', '彩钢棚', '彩钢瓦', '铁皮', '铁皮房', '阳光房', '棚', '车棚', '圈地', '围墙',
      '封阳台', '往外扩', '外扩', '拆', '拆除', '承重墙', '挖地下室', '改门面', '破墙开店', '城管', '违规', '私自', '盖成', '改成', '改建', '封起来',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 15,
    urgentLimitHours: 24,
    sort: 100,
  },
  {
    code: 'safety_hazard',
    name: '安全隐患',
    kind: 'help',
    keywords: [
      '着火', '起火', '火灾', '冒烟', '黑烟', '浓烟', '烟', '燃气泄漏', '煤气泄漏', '煤气味', '燃气味', '漏气',
      '泄漏', '漏电', '触电', '火花', '冒火花', '电线', '私拉电线', '飞线', '电动车充电', '充电', '电箱',
      '配电箱', '变压器', '电梯困人', '困', '被困', '困在', '麻手', '臭鸡蛋味', '嘶嘶', '消防通道', '消防', '灭火器', '安全隐患', '隐患',
      '高空抛物', '往下扔', '掉下来', '砸', '裂缝', '要塌', '塌', '跳楼', '晕倒', '烧焦',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 3,
    urgentLimitHours: 2,
    sort: 110,
  },
  {
    code: 'road_facility',
    name: '道路与公共设施',
    kind: 'help',
    keywords: [
      '井盖', '坑', '坑洼', '坑坑洼洼', '大坑', '路面', '塌陷', '地砖', '砖', '护栏', '栏杆', '减速带',
      '健身器材', '单杠', '秋千', '滑梯', '座椅', '长椅', '公交站', '台阶', '盲道', '路牌', '指示牌', '水坑',
      '道路', '破损', '松动', '松了', '翘起来', '绊倒', '扶手', '井盖缺失', '篮球架', '篮板', '篮球场', '乒乓球台',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 5,
    urgentLimitHours: 4,
    sort: 120,
  },
  {
    code: 'greening',
    name: '绿化养护',
    kind: 'help',
    keywords: [
      '绿化', '绿化带', '绿地', '草坪', '草', '杂草', '修剪', '树', '树枝', '大树', '枯树', '枯死', '砍树', '砍',
      '浇水', '花草', '毁绿', '种菜', '飘絮', '柳絮', '毛毛虫', '虫', '病虫害', '挡光', '挡住阳光', '遮挡',
      '倒伏', '树倒', '倒树', '落叶',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 10,
    urgentLimitHours: 12,
    sort: 130,
  },
  {
    code: 'consultation',
    name: '政策咨询',
    kind: 'consultation',
    keywords: [
      '咨询', '请问', '想问', '问一下', '问下', '怎么办理', '如何办理', '办理', '怎么申请', '申请', '补办', '哪里办',
      '怎么交', '手续', '流程', '材料', '条件', '政策', '社保', '医保', '养老保险', '户口', '上户口', '居住证',
      '身份证', '证明', '低保', '补贴', '残疾证', '退休', '认证', '疫苗', '接种', '公租房', '廉租房', '入学',
      '上学', '办证', '领取', '奖励',
    ],
    defaultUrgency: 'normal',
    limitWorkingDays: 2,
    urgentLimitHours: 24,
    sort: 140,
  },
  {
    code: 'other',
    name: '其他事项',
    kind: 'help',
    keywords: ['建议', '希望', '谢谢', '快递', '诈骗', '传销', '推销', '可疑', '走丢', '走失', '人员走失', '迷路', '失物', '捡到'],
    defaultUrgency: 'normal',
    limitWorkingDays: 10,
    urgentLimitHours: 24,
    sort: 150,
  },
];
