import { describe, expect, it } from 'vitest';
import { type HotMessage, mineHotIssues } from './hot-issue.mining.ts';
import { RegionCodes } from './hot-issue.text.ts';

const day = 86_400_000;
const t0 = Date.UTC(2026, 10, 1);

function msg(id: number, author: string, title: string, body: string, days = 0, support = 0): HotMessage {
  return { id: String(id), author, title, body, time: t0 + days * day, support };
}

describe('RegionCodes', () => {
  it('blanks codes written as regions and keeps a code that mostly ends a name', () => {
    const codes = new RegionCodes(
      [
        msg(1, 'a', 'A市A5区汇金路五矿万境K9县存在一系列问题', '我是五矿万境K9县24栋的业主'),
        msg(2, 'b', 'A5区五矿万境K9县房屋开裂', '五矿万境K9县的房子又出问题了'),
        msg(3, 'c', '投诉A5区城管', '在A5区某路口'),
      ],
      400,
    );
    expect(codes.clean('A市A5区汇金路五矿万境K9县存在一系列问题')).toBe(
      '，，汇金路五矿万境K9县存在一系列问题',
    );
    // Glued to two Han characters here, but A5区 stands for a region in most of the period.
    expect(codes.clean('投诉A5区城管')).toBe('投诉，城管');
    // A name-tail code that is not glued to a name here (after punctuation) is blanked like a region.
    expect(codes.clean('五矿万境·K9县负一楼')).toBe('五矿万境·，负一楼');
  });

  it('reads a code seen once as a region: one glued occurrence is no evidence', () => {
    const codes = new RegionCodes([msg(1, 'a', '幸福里Q7县门口积水', '')], 400);
    expect(codes.clean('幸福里Q7县门口积水')).toBe('幸福里，门口积水');
  });

  it('does not count a code right after another code or a function character as glued', () => {
    const codes = new RegionCodes(
      [msg(1, 'a', 'A市B4区路灯坏了', '我在B4区住'), msg(2, 'b', '西地省B4区垃圾', '请B4区处理')],
      400,
    );
    expect(codes.clean('长桥B4区路灯坏了')).toBe('长桥，路灯坏了');
  });
});

describe('a compound whose name the source anonymised', () => {
  it("is one place for the messages that name it, with the code as the name's tail", () => {
    const messages = [
      msg(1, 'u1', 'A市五矿万境K9县房屋墙壁开裂', '我是五矿万境K9县36栋的业主，房屋墙壁开裂渗水', 1, 2097),
      msg(2, 'u2', '五矿万境K9县房子墙面开裂', '五矿万境K9县交房后墙面开裂渗水，开发商不处理', 3),
      msg(3, 'u3', 'A5区五矿万境K9县墙体裂缝', '五矿万境K9县多栋房屋墙体开裂渗水', 6),
      msg(4, 'u4', 'A5区东湖小区路灯不亮', '东湖小区路灯坏了一个月', 2),
      msg(5, 'u5', 'A5区西湖小区垃圾没人清', '西湖小区垃圾堆积', 4),
    ];
    const { issues } = mineHotIssues(messages);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.place).toBe('五矿万境K9县');
    expect(issues[0]!.messageIds).toEqual(['1', '2', '3']);
  });
});
