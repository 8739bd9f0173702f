// Synthetic personal names. Han names: common surnames of north-east China and Inner Mongolia
// with given names typical of each birth cohort. Mongolian names: Mongolian given names as
// commonly written in Chinese characters, used bare or after a Han-style surname (包, 白, 宝 …),
// both of which are usual in Tongliao. Every name is drawn at random from these lists; no real
// person's record is used. Collisions with real people's names are unavoidable and harmless:
// the ID numbers, birth dates and households around them are invented.
import { Categorical, type Rng } from './prng.js';

const cat = (spec: string): Categorical<string> => {
  // "王7.5 李7.4 …": a value and its weight per token.
  const pairs = spec
    .trim()
    .split(/\s+/)
    .map((t) => {
      const m = /^(\D+)([\d.]+)$/.exec(t);
      if (!m) throw new Error(`bad token ${t}`);
      return [m[1] as string, Number(m[2])] as const;
    });
  return Categorical.of(pairs);
};
const list = (spec: string): string[] => spec.trim().split(/\s+/);

/** Han surnames, weighted roughly by their frequency in north-east China (weights in ‰-like units). */
export const HAN_SURNAMES = cat(`
  王75 李74 张70 刘55 赵35 杨30 孙25 于20 高20 陈20 徐15 马15 郭12 周12 吴12 朱10 胡10 白10
  韩10 宋10 郑8 曹8 许8 邓6 冯8 田8 董8 曲5 姜8 崔8 孟8 吕6 贾6 魏6 石6 苏6 任6 侯5 常5
  杜6 付6 袁5 谢5 唐5 黄8 何6 林5 罗5 梁6 程5 潘4 丁5 金6 闫6 薛4 蒋4 彭4 范5 方3 邢4 段4
  尹3 秦4 史4 贺4 武5 孔3 毛3 邱3 康4 齐5 佟4 关5 姚4 卢4 牛4 陶3 庞3 葛3 安4 耿3 单3 鲁3
  温3 柴3 宁3 刁2 霍3 乔4 包3 翟3 赫2 那2 富2 穆2 仲2
`);

/** Surnames Mongolian families in eastern Inner Mongolia commonly use in Chinese. */
export const MONGOLIAN_SURNAMES = cat(`包40 白18 宝12 鲍6 吴8 韩6 陈4 李4 王4 海3 胡2 佟2 金3 额2 张2 刘2 何2 梁2`);
/** Manchu families mostly use Han-style surnames; these are frequent among them. */
export const MANCHU_SURNAMES = cat(`关10 佟8 那6 富5 金6 赵8 肖4 罗4 傅4 伊2 王6 刘5 张5 李5 郎3 常3 鄂2`);
/** Hui surnames. */
export const HUI_SURNAMES = cat(`马20 白6 杨6 丁5 李5 海3 哈2 沙2 金4 王5 张4 刘3 米2 穆2`);

// Given names by cohort and sex: older generations used names such as 桂兰 and 德福; later
// cohorts single characters and names such as 欣怡 and 浩然.
const HAN_GIVEN: Record<'old' | 'mid' | 'young' | 'child', { m: string[]; f: string[] }> = {
  old: {
    m: list(`德福 长山 福生 永财 振海 凤山 宝山 玉林 国华 建国 树林 春生 连生 文祥 德胜 庆祥 立志 成林 永贵 金堂
      福林 玉山 振江 广发 占山 景春 万福 有才 殿臣 玉清 继武 守田 洪林 青山 兴旺 明山 志远 保国 德成 绍文`),
    f: list(`桂兰 秀英 淑珍 玉兰 凤英 桂芝 秀兰 素芬 淑兰 玉珍 凤兰 秀珍 桂荣 玉芬 淑芬 翠兰 桂琴 凤琴 玉梅 秀云
      素珍 春兰 金凤 淑琴 桂香 玉凤 桂英 秀芝 凤芝 淑华 玉荣 桂珍 秀芳 兰英 凤霞 淑贤 玉霞 春花 桂云 秀梅`),
  },
  mid: {
    m: list(`建军 建华 国强 志刚 海军 卫东 永军 立军 志强 红军 宏伟 振华 建平 春雷 立新 文军 海峰 建民 长江 广军
      国庆 卫国 志勇 俊峰 晓东 铁军 利民 宝军 金龙 福军 学军 东升 庆军 海涛 丽军 明辉 玉军 长林 德军 永刚`),
    f: list(`丽华 红梅 秀丽 桂花 艳华 玉梅 春燕 丽娟 秀华 海燕 红霞 艳玲 凤华 淑艳 丽敏 艳红 秀云 晓梅 玉红 春梅
      红艳 丽萍 艳芳 冬梅 雪梅 桂红 金霞 丽杰 晓红 凤霞 玉玲 秀芹 艳霞 海霞 丽艳 春霞 淑英 丽颖 月华 彩霞`),
  },
  young: {
    m: list(`伟 磊 鹏 超 强 军 杰 涛 亮 勇 刚 斌 波 浩 宇 鑫 东 明 辉 健 龙 飞 峰 帅 博 海龙 志伟 晓峰 立国 建伟
      宏亮 海波 春雨 晓东 鹏飞 永亮 雪峰 德龙 文博 俊杰`),
    f: list(`静 丽 娟 敏 艳 燕 霞 红 玲 芳 慧 颖 琳 娜 雪 婷 洁 楠 晶 莹 丽娜 晓燕 春燕 海燕 秀娟 丽丽 晓丽 雪梅 佳琪
      婷婷 欢欢 晓静 丹丹 红艳 美玲 微微 思琪 亚楠 艳秋`),
  },
  child: {
    m: list(`浩然 子轩 梓涵 宇航 一鸣 浩宇 博文 子豪 俊熙 天佑 皓轩 梓豪 宇轩 明哲 思远 嘉豪 子墨 诗博 睿 航 泽宇
      铭 轩 博宇 晨阳 家乐 奕辰 宇泽 子睿 文轩 佳豪 天宇 恩泽 昊天 瑞 鑫宇 俊豪 展鹏 浩轩 锦程`),
    f: list(`欣怡 梓涵 子涵 雨涵 诗涵 可馨 佳怡 思琪 紫涵 一诺 梓萱 雨桐 欣妍 语嫣 梦瑶 佳琪 若曦 馨月 紫萱 雅琪
      悦 萌 涵 琪 怡 可欣 思雨 欣悦 梦琪 依诺 诗琪 语桐 静怡 沐晴 晓雪 雨欣 佳欣 馨怡 安琪 思彤`),
  },
};

const MONGOLIAN_GIVEN = {
  m: list(`巴特尔 乌力吉 额尔敦 朝鲁 苏和 巴图 宝音 孟和 那顺 白音 达来 格日勒图 额尔德尼 布和 毕力格 阿木古楞 图门
    吉日嘎拉 巴雅尔 特木尔 哈斯 满都拉 胡日查 宝力道 敖日格勒 巴根那 阿拉坦仓 那木吉拉 道尔吉 斯琴巴特尔 乌日图 朝格图
    桑布 达瓦 额尔敦巴雅尔 宝音德力格尔 巴图孟和 青格勒图 伊德日 哈斯巴根 扎那 阿古达木 吉仁太 白乙拉 巴音仓 呼和
    宝力高 朝克图 乌恩 双喜`),
  f: list(`其木格 萨仁高娃 乌云 娜仁 托娅 格日乐 斯琴 塔娜 高娃 乌兰 其其格 琪琪格 娜仁花 萨日娜 阿茹娜 乌日娜 苏日娜
    吉雅 额尔敦其其格 图雅 诺敏 其乐木格 哈斯其其格 乌云其木格 斯琴高娃 敖登 萨仁 孟根其其格 阿拉腾其其格 其其格玛
    乌日罕 格根 塔拉 那仁 敖敦格日乐 包金花 金花 玉荣 荷花 斯日古楞 乌仁图雅 萨茹拉 娜布其 宝日 乌兰图雅 查干
    阿丽玛 苏布达 明月`),
};

// Many Mongolian names are compounds of two elements (斯琴 + 巴特尔, 乌云 + 其木格).
const MONGOLIAN_PARTS: Record<'m' | 'f', readonly [string[], string[]]> = {
  m: [
    list(`宝音 额尔敦 斯琴 哈斯 孟和 巴雅尔 阿拉坦 朝克 乌力吉 吉日嘎拉 特木尔 那顺 白音 图门 达来 布和 苏和 满都拉 额尔德木 青格勒
      敖其尔 乌恩 包力 伊德尔 胡和 阿日斯楞 宝力 查干 呼和 巴音`),
    list(`巴特尔 巴图 毕力格 朝鲁 仓 图 达来 孟和 乌力吉 那顺 宝力道 额尔敦 德力格尔 吉日嘎拉 苏和 夫 扎布 布和 巴雅尔 满都呼`),
  ],
  f: [
    list(`萨仁 乌云 斯琴 哈斯 娜仁 其其格 图雅 阿拉坦 孟根 额尔敦 托娅 乌兰 塔娜 苏日 萨日 乌日 敖登 吉日木 赛罕 格根 其木格 诺敏`),
    list(`高娃 其其格 花 图雅 塔娜 格日乐 其木格 托娅 娜 乌兰 苏布达 琪琪格 阿茹娜 毕力格`),
  ],
};

function mongolianGiven(rng: Rng, male: boolean): string {
  const sex = male ? 'm' : 'f';
  if (rng.chance(0.3)) return rng.pick(MONGOLIAN_GIVEN[sex]);
  const [a, b] = MONGOLIAN_PARTS[sex];
  let first = rng.pick(a);
  let second = rng.pick(b);
  for (let i = 0; i < 3 && (first === second || first.endsWith(second) || second.startsWith(first)); i++) {
    first = rng.pick(a);
    second = rng.pick(b);
  }
  return first + second;
}

export type EthnicGroup = 'han' | 'mongolian' | 'manchu' | 'hui' | 'other';

// Characters for composed two-character given names, by sex and older/younger cohorts.
const HAN_CHARS = {
  m: {
    old: [...'国建志文明永海德玉金福春立宝振学成长庆树广胜兴忠林山平富贵祥'],
    young: [...'俊军东华峰强伟刚勇辉亮波涛杰鹏磊鑫宇浩博晨泽睿轩铭航嘉子天'],
  },
  f: {
    old: [...'秀桂淑玉凤春红金月英兰珍华梅芝荣香琴云芬霞翠素丽艳'],
    young: [...'丽艳雪美晓静婷娟敏芳霞燕玲萍娜莉倩慧颖欣悦涵琪怡佳雨梦思诗'],
  },
};

function hanGiven(rng: Rng, male: boolean, birthYear: number): string {
  const era = birthYear < 1960 ? 'old' : birthYear < 1980 ? 'mid' : birthYear < 2005 ? 'young' : 'child';
  if (rng.chance(0.5)) return rng.pick(HAN_GIVEN[era][male ? 'm' : 'f']);
  const chars = HAN_CHARS[male ? 'm' : 'f'][birthYear < 1975 ? 'old' : 'young'];
  const a = rng.pick(chars);
  let b = rng.pick(chars);
  if (b === a) b = rng.pick(chars);
  return a + b;
}

export function surnameFor(rng: Rng, group: EthnicGroup): string {
  switch (group) {
    case 'mongolian':
      return MONGOLIAN_SURNAMES.sample(rng);
    case 'manchu':
      return MANCHU_SURNAMES.sample(rng);
    case 'hui':
      return HUI_SURNAMES.sample(rng);
    default:
      return HAN_SURNAMES.sample(rng);
  }
}

/**
 * A person's name and the family surname their children would inherit. `familySurname` is the
 * surname the person inherits (a child takes the father's). Mongolian people get a Mongolian
 * given name and go by it alone about half the time, as is usual in Tongliao; their family
 * surname is kept for the children either way.
 */
export function personName(
  rng: Rng,
  opts: { group: EthnicGroup; male: boolean; birthYear: number; familySurname?: string | undefined },
): { name: string; surname: string } {
  const surname = opts.familySurname ?? surnameFor(rng, opts.group);
  if (opts.group === 'mongolian') {
    const given = mongolianGiven(rng, opts.male);
    // Long Mongolian names are seldom prefixed with a surname.
    const bare = given.length >= 4 || rng.chance(0.5);
    return { name: bare ? given : surname + given, surname };
  }
  return { name: surname + hanGiven(rng, opts.male, opts.birthYear), surname };
}

/** A name for someone outside the register (e.g. a cadre), of the given group. */
export function cadreName(rng: Rng, group: EthnicGroup): string {
  const male = rng.chance(0.6);
  return personName(rng, { group, male, birthYear: rng.int(1968, 1996) }).name;
}
