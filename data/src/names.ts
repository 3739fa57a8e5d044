import type { Rng } from './random.ts'

/**
 * Fictitious Chinese names: places built from common Yunnan place-name parts, people from
 * common surnames and given-name characters. Any resemblance to a real person is chance.
 */

const placeHeads = [
  '大',
  '小',
  '上',
  '下',
  '新',
  '老',
  '中',
  '石',
  '松',
  '竹',
  '龙',
  '凤',
  '马',
  '李家',
  '杨家',
  '张家',
  '赵家',
  '段家',
  '字家',
  '核桃',
  '梨树',
  '桃树',
  '黄草',
  '青松',
  '白岩',
  '黑泥',
  '红土',
  '水井',
  '箐口',
  '河边',
  '岩脚',
  '坡头',
  '山背',
  '团山',
  '田心',
  '沙坝',
  '麻栗',
  '杉木',
  '茶山',
  '蕨菜',
  '野猪',
  '鹿鸣',
  '羊街',
  '牛场',
  '蒿子',
  '芭蕉',
  '柿花',
  '木瓜',
  '大树',
  '冷水',
  '温泉',
  '烂泥',
  '小河',
  '大河',
  '龙潭',
  '白沙',
  '清水',
  '火烧',
  '营盘',
  '落水',
  '三岔',
  '两河',
  '双龙',
  '背阴',
  '向阳',
  '松坡',
  '梅子',
  '板栗',
  '香樟',
  '核桃林',
  '岔河',
  '干海',
  '金竹',
]
const placeTails = [
  '村',
  '寨',
  '坪',
  '坝',
  '箐',
  '湾',
  '沟',
  '塘',
  '山',
  '营',
  '铺',
  '哨',
  '庄',
  '田',
  '地',
  '脚',
  '头',
  '坡',
  '岭',
  '口',
  '场',
  '园',
  '坪子',
  '坝子',
  '凹',
]

const surnames: readonly (readonly [string, number])[] = [
  ['杨', 14],
  ['李', 12],
  ['张', 9],
  ['王', 7],
  ['赵', 6],
  ['段', 5],
  ['刘', 5],
  ['陈', 4],
  ['周', 3],
  ['黄', 3],
  ['何', 3],
  ['罗', 3],
  ['苏', 2],
  ['施', 2],
  ['尹', 2],
  ['董', 2],
  ['字', 2],
  ['左', 1],
  ['蒋', 1],
  ['谢', 1],
  ['许', 1],
  ['杜', 1],
  ['毛', 1],
  ['鲁', 1],
  ['余', 1],
  ['郭', 1],
  ['普', 1],
  ['闫', 1],
  ['寸', 1],
  ['封', 1],
]
const givenCharacters = [
  '国',
  '华',
  '明',
  '建',
  '军',
  '文',
  '平',
  '红',
  '芳',
  '丽',
  '秀',
  '英',
  '兰',
  '玉',
  '云',
  '春',
  '林',
  '海',
  '德',
  '学',
  '志',
  '勇',
  '强',
  '光',
  '荣',
  '福',
  '贵',
  '发',
  '祥',
  '忠',
  '成',
  '家',
  '永',
  '正',
  '金',
  '美',
  '艳',
  '梅',
  '琼',
  '凤',
  '翠',
  '仙',
  '莲',
  '绍',
  '应',
  '开',
  '宏',
  '昌',
  '有',
  '富',
  '朝',
  '顺',
  '树',
  '清',
  '会',
  '兴',
  '仁',
]

export const mainRiverNames = ['清溪河', '青龙河', '白沙河', '金鸡河', '黑龙河', '大沙河', '龙川河', '勐岭河']

/** Hands out place names that are unique within one town. */
export class PlaceNames {
  private readonly used = new Set<string>()

  constructor(private readonly rng: Rng) {}

  reserve(name: string): void {
    this.used.add(name)
  }

  naturalVillage(): string {
    for (let attempt = 0; attempt < 500; attempt++) {
      const head = this.rng.pick(placeHeads)
      const tail = this.rng.pick(placeTails)
      const name = head + tail
      if (head.endsWith(tail) || this.used.has(name)) continue
      this.used.add(name)
      return name
    }
    throw new Error('ran out of natural village names')
  }

  /** A name built on `stem` with the first unused suffix (e.g. 龙潭河, then 龙潭箐). */
  derived(stem: string, suffixes: readonly string[]): string {
    for (const suffix of suffixes) {
      const name = stem + suffix
      if (!this.used.has(name)) {
        this.used.add(name)
        return name
      }
    }
    for (let n = 2; ; n++) {
      const name = `${stem}${suffixes[0]}${n}`
      if (!this.used.has(name)) {
        this.used.add(name)
        return name
      }
    }
  }
}

export function personName(rng: Rng): string {
  const surname = rng.weighted(surnames)
  const first = rng.pick(givenCharacters)
  return rng.chance(0.75) ? surname + first + rng.pick(givenCharacters) : surname + first
}

/**
 * Obviously fictitious mobile numbers: every number is `1380000` followed by four digits
 * (13800000000–13800009999), a block that reads as a placeholder to anyone in China.
 * Numbers are unique within one town (up to 10,000 of them).
 */
export const fakePhonePattern = /^1380000\d{4}$/

export class PhoneBook {
  private issued = 0

  constructor(private readonly offset: number) {}

  next(): string {
    const serial = (this.issued++ * 7919 + this.offset) % 10000
    return `1380000${String(serial).padStart(4, '0')}`
  }
}

/** A person with a phone number. */
export interface Contact {
  name: string
  phone: string
}

export function contact(rng: Rng, phones: PhoneBook): Contact {
  return { name: personName(rng), phone: phones.next() }
}

/**
 * The stem of a place name for naming things after it: 核桃沟 → 核桃 (so its stream is 核桃箐,
 * not 核桃沟沟), 石头寨 → 石头; one-syllable stems are kept whole.
 */
export function placeStem(name: string): string {
  return name.length > 2 && /[村寨沟箐河湾坝塘凹口]$/.test(name) ? name.slice(0, -1) : name
}
