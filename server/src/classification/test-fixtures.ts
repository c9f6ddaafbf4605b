import path from 'node:path';
import { repoRoot } from '../shared/paths.ts';
import type { LabelledText } from './dataset.ts';
import { createRng } from './prng.ts';

/** `../shared` beside the repository: data that tests read but the repository must not contain. */
export const sharedDir = path.resolve(repoRoot, '../shared');

const vocabulary: Record<string, { subjects: string[]; complaints: string[] }> = {
  garbage: {
    subjects: ['装修垃圾', '生活垃圾', '建筑垃圾', '垃圾桶', '渣土'],
    complaints: ['堆了好几天', '没人清理', '臭味很大', '满了溢出来', '乱倒在路边'],
  },
  noise: {
    subjects: ['施工噪音', '广场舞音响', '工地机器', '装修电钻', '酒吧音乐'],
    complaints: ['吵得睡不着', '半夜还在响', '噪音太大', '影响休息', '扰民严重'],
  },
  parking: {
    subjects: ['汽车', '电动车', '共享单车', '货车', '三轮车'],
    complaints: ['乱停乱放', '堵住了路口', '占了人行道', '停在消防通道', '挡住了出口'],
  },
};

const places = ['光明胡同', '小区门口', '菜市场旁边', '学校附近', '公交站', '居民楼下'];

/**
 * A small synthetic labelled set (three classes, deterministic for a seed) for tests that need a model
 * quickly and do not care how good it is.
 */
export function syntheticReports(perClass: number, seed = 1): LabelledText[] {
  const rng = createRng(seed);
  const pick = (xs: string[]) => xs[Math.floor(rng() * xs.length)]!;
  const out: LabelledText[] = [];
  for (let i = 0; i < perClass; i++) {
    for (const [label, v] of Object.entries(vocabulary)) {
      out.push({ label, text: `${pick(places)}${pick(v.subjects)}${pick(v.complaints)}，请尽快处理` });
    }
  }
  return out;
}

export function toTsv(samples: readonly LabelledText[]): string {
  return `label\ttext\n${samples.map((s) => `${s.label}\t${s.text}`).join('\n')}\n`;
}
