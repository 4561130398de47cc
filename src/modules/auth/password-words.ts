/**
 * Words a Chinese user reaches for in a password that the English and common zxcvbn dictionaries do not know:
 * pinyin phrases, common pinyin names and surnames, cities, and this product's own vocabulary. No maintained
 * Chinese dictionary exists for zxcvbn-ts, so this short list (most common first: zxcvbn ranks by position)
 * stands in; the user's own name, username and units are added per check as user inputs.
 */
export const PINYIN_AND_PROJECT_WORDS: readonly string[] = [
  // phrases and numbers that read as words
  'woaini', '5201314', '1314520', 'woaini1314', 'aini', 'woaiwojia', 'zhongguo', 'zhonghua', 'huaxia', 'nihao', 'mima',
  'xingfu', 'kuaile', 'pingan', 'shengri', 'xiexie', 'baobao', 'laogong', 'laopo', 'tiantian', 'jiayou', 'fendou',
  'wanmei', 'tianshi', 'dongfang', 'caonima', 'niubi', 'haha', 'hehe', 'xixi', 'aiqing', 'qinqin', 'meimei', 'gege',
  'jiejie', 'didi', 'mama', 'baba', 'yongyuan', 'yiqi', 'yisheng', 'zhenai', 'xiangni', 'shuaige', 'meinv',
  'weixin', 'taobao', 'baidu', 'tengxun', 'alibaba', 'zhifubao',
  // cities
  'beijing', 'shanghai', 'tianjin', 'chongqing', 'guangzhou', 'shenzhen', 'hangzhou', 'nanjing', 'wuhan', 'chengdu',
  'xian', 'suzhou', 'qingdao', 'xiamen', 'dalian', 'shenyang', 'changsha', 'zhengzhou', 'jinan', 'hefei',
  // this product and its world
  'gridline', 'wangge', 'wanggezhang', 'wanggeyuan', 'shequ', 'jiedao', 'zhengfu', 'renmin', 'minqing', 'zhitongche',
  'gongdan', 'rexian', 'dangyuan', 'dangjian', 'shuji', 'zhuren', 'zhenzhang', 'xiaoge', 'guanli', 'guanliyuan',
  'yonghu', 'xitong', 'houtai', 'denglu', 'liuan', 'jiangnan',
  // the most common full names
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'lina', 'zhangmin', 'lijing', 'wangjing', 'liuwei', 'wangxiuying',
  'zhangli', 'lixiuying', 'wangli', 'zhangjing', 'zhangxiuying', 'liqiang', 'wangmin', 'limin', 'wanglei', 'liuyang',
  'wangyan', 'wangyong', 'lijun', 'zhangyong', 'lijie', 'zhangjie', 'zhanglei', 'wangqiang', 'lijuan', 'wangjun',
  'zhangyan', 'zhangtao', 'wangtao', 'liyan', 'wangchao', 'liming', 'liyong', 'wangjuan', 'liujie', 'liumin',
  'zhangsan', 'lisi', 'wangwu', 'xiaoming', 'xiaohong',
  // surnames
  'wang', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'zhou', 'sun', 'zhu', 'guo', 'gao', 'lin', 'luo',
  'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng', 'zeng', 'xiao', 'tian', 'dong',
  'yuan', 'pan', 'jiang', 'cai', 'cheng', 'wei', 'ding', 'shen', 'yao', 'zhong', 'jiang', 'fan', 'fang', 'shi',
  // given names
  'xiuying', 'qiang', 'jing', 'fang', 'min', 'jun', 'yong', 'yan', 'jie', 'juan', 'tao', 'ming', 'chao', 'xia',
  'ping', 'gang', 'hua', 'hui', 'hong', 'ling', 'ying', 'xin', 'yu', 'hao', 'bo', 'lei', 'peng', 'fei', 'long',
  'zhiqiang', 'jianhua', 'jianguo', 'guoqiang', 'haiyan', 'xiaoyan', 'xiaoli', 'jianjun', 'dawei', 'xiaohui',
];
