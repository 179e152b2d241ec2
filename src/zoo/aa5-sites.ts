/**
 * CRCNS-AA5 constants: the four birds, the 50 recording sites with the exact byte size of each
 * site archive, the fixed response window, the stimulus classes and call-type codes, and the
 * site-name grammar (`<bird>_<depth>[t]_<yymmdd>_<hhmmss>`). See docs/zoo/aa5.md.
 * @module
 */
import { ValueError } from '../errors.js';

/** The four birds (last letter = sex). @example `AA5_BIRDS.includes('ZF4F') // true` */
export const AA5_BIRDS: readonly string[] = ['ZF4F', 'ZF5M', 'ZF6M', 'ZF7F'];

/**
 * Site name → exact size in bytes of its archive `aa-5/<bird>/<site>.tar.gz` (the only integrity
 * data of the release).
 * @example
 * ```ts
 * AA5_SITES['ZF4F_4t_190614_094759']; // 17784
 * ```
 */
export const AA5_SITES: Readonly<Record<string, number>> = {
  ZF4F_2t_190611_160843: 2834343757, ZF4F_2t_190612_101201: 6289758495, ZF4F_2t_190612_134337: 4343768853,
  ZF4F_2t_190613_101015: 5583252055, ZF4F_2t_190613_142654: 1265287545, ZF4F_3t_190613_150928: 6976698853,
  ZF4F_4t_190614_094759: 17784, ZF4F_5t_190615_114154: 3545990920, ZF4F_5t_190616_102456: 1186039399,
  ZF4F_6t_190616_142033: 3720594094, ZF4F_6_5_190618_110932: 44537328, ZF4F_7t_190619_095313: 1038330954,
  ZF4F_8t_190620_101233: 1095157918, ZF4F_8_5t_190621_100019: 401205399,
  ZF5M_10t_190702_095313: 5404360582, ZF5M_10_5t_190703_133641: 4333966397, ZF5M_11t_190704_100420: 6046038540,
  ZF5M_11t_190704_121850: 5129143152, ZF5M_11_5t_190705_102710: 3894983502, ZF5M_12t_190707_102304: 2762856931,
  ZF5M_6t_190625_102256: 1560644227, ZF5M_6_5t_190625_135634: 1043340439, ZF5M_7t_190625_154417: 3177488339,
  ZF5M_7t_190626_101721: 679657201, ZF5M_8t_190627_132428: 6784216809, ZF5M_8t_190628_100257: 1906422425,
  ZF5M_8t_190628_124320: 2196821200, ZF5M_8_5t_190629_095922: 3254100649, ZF5M_9t_190630_100846: 2450297699,
  ZF5M_9t_190701_102100: 509520809, ZF5M_9_5t_190701_125653: 2388985498,
  ZF6M_10_5t_190808_102150: 1517344326, ZF6M_2t_190715_172820: 1691012416, ZF6M_2t_190716_085010: 3785365627,
  ZF6M_6_5t_190719_094702: 4728993310, ZF6M_7_5t_190723_100723: 6288992330, ZF6M_7_5t_190723_141539: 4397202722,
  ZF6M_8t_190725_105432: 5904987989, ZF6M_9_5t_190805_102553: 1686476050, ZF6M_9_5t_190805_130046: 2240722109,
  ZF7F_3t_190716_130715: 1963384862, ZF7F_4t_190717_094723: 1170276452, ZF7F_4_5t_190718_091732: 1522836076,
  ZF7F_5t_190720_152938: 4848100887, ZF7F_5t_190720_182644: 143087879, ZF7F_5_5t_190722_121506: 6052265435,
  ZF7F_6t_190724_104215: 5912130814, ZF7F_7t_190806_115742: 6668616338, ZF7F_7_5t_190807_105305: 6076169670,
  ZF7F_8_5t_190809_133540: 5329502454,
};

/** The response window around each playback onset, in seconds. @example `AA5_WINDOW_S[1] - AA5_WINDOW_S[0] // 5` */
export const AA5_WINDOW_S: readonly [number, number] = [-0.5, 4.5];

/** Selectable stimulus classes, in stimulus order. @example `new CRCNSAA5Dataset({ stimuli: ['call'] })` */
export const AA5_STIM_CLASSES: readonly string[] = ['call', 'song', 'song_sfilt', 'song_tfilt', 'ripple'];

/** Call-type codes and their meaning. @example `AA5_CALL_TYPES.DC // 'distance call'` */
export const AA5_CALL_TYPES: Readonly<Record<string, string>> = {
  Ag: 'Wsst/aggressive', Be: 'begging', DC: 'distance call', Di: 'distress', LT: 'long tonal',
  Ne: 'nest', So: 'song', Te: 'tet', Th: 'thuk', Wh: 'whine',
};

/** Microdrive depth per turn, in µm. @example `parseAA5Site('ZF4F_2t_190611_160843').depthUm === 2 * AA5_UM_PER_TURN` */
export const AA5_UM_PER_TURN = 250;

/** What a site name says. @example `parseAA5Site('ZF6M_9_5t_190805_102553').depthTurns // 9.5` */
export interface AA5SiteInfo {
  bird: string;
  /** Microdrive turns (`6_5` → 6.5). */
  depthTurns: number;
  /** `depthTurns · 250`. */
  depthUm: number;
  /** `yymmdd`. */
  date: string;
  /** `hhmmss`. */
  time: string;
}

const SITE = /^(ZF\d[MF])_(\d+(?:_5)?)t?_(\d{6})_(\d{6})$/;

/**
 * Parses a site name (`parse_site` of the reference).
 * @throws ValueError when the name does not follow the grammar
 * @example
 * ```ts
 * parseAA5Site('ZF5M_11_5t_190705_102710'); // { bird: 'ZF5M', depthTurns: 11.5, depthUm: 2875, date: '190705', time: '102710' }
 * ```
 */
export function parseAA5Site(name: string): AA5SiteInfo {
  const m = SITE.exec(name);
  if (!m) throw new ValueError(`not an AA5 site name: '${name}' (expected <bird>_<depth>[t]_<yymmdd>_<hhmmss>, e.g. ZF4F_2t_190611_160843)`);
  const depthTurns = Number(m[2].replace('_', '.'));
  return { bird: m[1], depthTurns, depthUm: depthTurns * AA5_UM_PER_TURN, date: m[3], time: m[4] };
}
