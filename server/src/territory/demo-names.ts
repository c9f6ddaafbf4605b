/**
 * Word lists for the demo city's generated names. The combinations are invented: a generated alley,
 * community or person that happens to share a name with a real one is a coincidence, and every
 * generated feature is flagged as approximate demo data.
 */

/** Lists are kept as space-separated strings so that hundreds of words stay readable in a few lines. */
const words = (list: string): readonly string[] => list.split(' ');

export const SURNAMES: readonly string[] = words(
  '王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 ' +
    '郑 谢 韩 唐 冯 于 董 萧 程 曹 袁 邓 许 傅 沈 曾 彭 吕 苏 卢 蒋 蔡 ' +
    '贾 丁 魏 薛 叶 阎 余 潘 杜 戴 夏 钟 汪 田 任 姜 范 方 石 姚 谭 廖 ' +
    '邹 熊 金 陆 郝 孔 白 崔 康 毛 邱 秦 江 史 顾 侯 邵 孟 龙 万 段 雷 ' +
    '钱 汤 尹 黎 易 常 武 乔 贺 赖 龚 文',
);

export const GIVEN_NAME_CHARS: readonly string[] = words(
  '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 ' +
    '英 华 玉 萍 红 建 文 辉 力 林 斌 宇 浩 凯 鹏 欣 晨 琳 颖 雪 梅 慧 ' +
    '亮 峰 健 波 宁 云 飞 海 燕 博 志 国 立 新 春 德 永 成 金 东 晓 佳 ' +
    '嘉 思 雨 婷 瑞 彤 丹 蕾 岩 松 书 兰 卫 忠 诚 海 青 秋 莉 倩 振 清',
);

/** Two-character stems for alley names: trees, crafts, wares, water, auspicious words. */
export const ALLEY_STEMS: readonly string[] = words(
  '槐树 榆钱 枣林 杏花 桃园 梨园 松柏 竹竿 石碑 铁门 砖塔 石桥 板桥 河沿 ' +
    '井儿 甜水 苦水 金丝 银丝 绒线 丝线 帽儿 鞋儿 灯笼 香饵 茶儿 米粮 油坊 酱坊 ' +
    '染坊 醋坊 粉坊 花枝 草厂 木厂 琉璃 瓷器 砂锅 铜铁 锡拉 蜡烛 车辇 骡马 羊市 ' +
    '鸭子 鹞儿 喜鹊 百灵 黄鹂 燕儿 凤凰 麒麟 狮子 福寿 吉祥 如意 平安 安福 永宁 ' +
    '太平 长庆 广福 德福 兴隆 丰盛 宝产 积善 仁寿 和顺 春晖 秋实 晓光 明月 清风 ' +
    '云霞 星辰 彩虹 翠花 白塔 红井 青石 黄土 紫竹 碧波 金鱼 银锭 玉带 珠宝 砖儿 ' +
    '瓦片 门楼 影壁 垂花 廊檐 书院 学堂 砚台 笔管 墨斗 琴弦 棋盘 画眉 葫芦 扁担 ' +
    '簸箕 笤帚 口袋 钱串 银匠 铁匠 木匠 皮库 酒醋 豆腐 烧饼 糖房 面条 粮食 马尾 ' +
    '驼铃 骆驼 牛角 羊皮 鹿角 象牙 钟亭 庙前 庵后 寺前 观音 药王 火神 土地 ' +
    '花园 菜园 果子 蒜市 椿树 海棠 丁香 芍药 牡丹 玉兰 荷花 芦苇 菖蒲 兰草 青云 ' +
    '白云 红霞 晴川 双井 三井 四眼 五道 六铺 七井 八角 九湾 十间 百顺 千福 万寿 ' +
    '顺德 崇仁 怀仁 尚勤 敦厚 敬业 文华 武定 安居 乐业 康宁 润泽 盈福 嘉禾',
);

/** Stems for community names, distinct in tone from the alley stems so the two are told apart. */
export const COMMUNITY_STEMS: readonly string[] = words(
  '和平 安康 福安 里仁 宜居 睦邻 同心 惠民 春华 秋实 长青 常乐 嘉园 翠微 锦绣 ' +
    '怡和 康乐 悦民 兴盛 永安 崇文 尚德 明德 育才 信义 礼让 敬老 友善 清源 润泽 ' +
    '静安 宁和 泰和 丰收 瑞祥 吉庆 双福 三友 四季 五福 六合 七彩 八方 九如 百合 ' +
    '千禧 万和 金台 银杏 玉泉 珠光 宝华 紫荆 碧水 青松 白桦 红枫 绿荫 蓝天 朝阳 ' +
    '晨光 晓月 星光 彩云 霞光 东篱 西园 南苑 北里 中和 上林 下塘 前进 后湖 左岸 ' +
    '右庭 新风 文兴 德馨 仁和 义安 智园 勤俭 温馨 敦睦 和美 融和 协力 共建 共享 ' +
    '同乐 欣荣 繁华 昌盛 平乐 顺安 福海 荷塘 桃李 松鹤 梅园 兰亭 竹苑 菊香',
);

export const DIRECTION_PREFIXES: readonly string[] = words('东 西 南 北 前 后 大 小');

export const ORDINALS: readonly string[] = words('头 二 三 四 五 六');

/** Focus points an alley's plan (一街一策) can name; chosen per alley so plans differ. */
export const PLAN_FOCUSES = [
  '规范停车秩序',
  '整治架空线',
  '补种绿植和口袋花园',
  '修缮破损路面',
  '清理堆物堆料',
  '规范牌匾标识',
  '完善便民设施',
  '修缮院落门楼',
  '挖掘和展示胡同文化',
  '治理开墙打洞',
  '清理非法小广告',
  '提升夜间照明',
  '设置垃圾分类驿站',
  '建设无障碍通道',
] as const;

export const VOLUNTEER_TEAM_KINDS = [
  '西城大妈志愿服务队',
  '小巷管家志愿服务队',
  '邻里守望志愿队',
  '街巷文明引导队',
] as const;
