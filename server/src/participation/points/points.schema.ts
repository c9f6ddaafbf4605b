import { z } from 'zod';
import { RULE_KINDS } from './points.rules.ts';

const district = z.string().regex(/^\d{6}$/);
const community = z.string().regex(/^\d{12}$/);
const points = z.number().int().min(0).max(1_000);

export const rulesQuerySchema = z.object({ district });
export const rulesBodySchema = z.object({
  districtCode: district,
  label: z.string().trim().min(1).max(200),
  rules: z.record(z.string().max(50), z.number()).describe(`points per ${RULE_KINDS.join(', ')}`),
});
export const rulesOut = z.object({
  districtCode: z.string(),
  active: z
    .object({
      versionId: z.string(),
      number: z.number().int(),
      label: z.string(),
      rules: z.record(z.string(), points),
    })
    .nullable(),
  versions: z.array(
    z.object({
      id: z.string(),
      number: z.number().int(),
      label: z.string(),
      active: z.boolean(),
      illustrative: z.boolean(),
      createdAt: z.string(),
    }),
  ),
});
export const rulesCreatedOut = z.object({
  id: z.string(),
  number: z.number().int(),
  districtCode: z.string(),
  label: z.string(),
  rules: z.record(z.string(), z.number()),
});

export const balanceOut = z.object({
  balance: z.number().int(),
  districts: z.array(z.object({ districtCode: z.string(), balance: z.number().int() })),
});

export const postingsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });
export const postingsOut = z.object({
  items: z.array(
    z.object({
      transactionId: z.string(),
      districtCode: z.string(),
      kind: z.enum(['award', 'reserve', 'confirm', 'release']),
      sourceKind: z.string(),
      sourceRef: z.string(),
      reason: z.string(),
      amount: z.number().int(),
      at: z.string(),
    }),
  ),
});

export const awardBodySchema = z.object({
  userId: z.string().min(1).max(100),
  points: z.number().int().min(1).max(10_000),
  reason: z.string().trim().min(1).max(500),
  sourceRef: z.string().trim().min(1).max(200).describe('the same reference again answers the first award'),
  communityCode: community.optional().describe("the community whose pool awards; default the caller's scope"),
});
export const awardOut = z.object({
  transactionId: z.string(),
  points: z.number().int(),
  created: z.boolean(),
});

export const sortingCheckBodySchema = z.object({
  communityCode: community,
  userId: z.string().min(1).max(100),
  passed: z.boolean(),
  note: z.string().max(500).optional(),
});
export const sortingCheckOut = z.object({ id: z.string(), passed: z.boolean(), points: z.number().int() });

export const rewardOut = z.object({
  id: z.string(),
  communityCode: z.string(),
  name: z.string(),
  description: z.string(),
  cost: z.number().int(),
  stock: z.number().int(),
  active: z.boolean(),
});
export const rewardsOut = z.object({ items: z.array(rewardOut) });
export const rewardsQuerySchema = z.object({
  community: community.optional(),
  district: district.optional(),
});
export const rewardBodySchema = z.object({
  communityCode: community,
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  cost: z.number().int().min(1).max(100_000),
  stock: z.number().int().min(0).max(100_000),
});
export const rewardPatchSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(1000).optional(),
  cost: z.number().int().min(1).max(100_000).optional(),
  active: z.boolean().optional(),
  stockDelta: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .optional()
    .describe('stock to add (negative: take away)'),
});

export const redeemBodySchema = z.object({ rewardId: z.string().min(1).max(100) });
export const redemptionState = z.enum(['reserved', 'confirmed', 'released']);
export const redeemOut = z.object({
  id: z.string(),
  rewardId: z.string(),
  rewardName: z.string(),
  cost: z.number().int(),
  state: z.literal('reserved'),
  balance: z.number().int(),
});
export const decisionOut = z.object({
  id: z.string(),
  rewardId: z.string(),
  cost: z.number().int(),
  state: redemptionState,
});
export const redemptionsQuerySchema = z.object({
  mine: z.enum(['true', 'false']).optional(),
  state: redemptionState.optional(),
});
export const redemptionsOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      rewardId: z.string(),
      rewardName: z.string(),
      communityCode: z.string(),
      userId: z.string(),
      cost: z.number().int(),
      state: redemptionState,
      createdAt: z.string(),
      decidedAt: z.string().nullable(),
    }),
  ),
});
export const idParams = z.object({ id: z.string().min(1).max(100) });
