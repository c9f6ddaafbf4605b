import { z } from 'zod';
import { DUTIES, SHOP_KINDS } from './frontage.rules.ts';

const id = z.string().min(1).max(100);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('a calendar day in Beijing, YYYY-MM-DD');
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .describe('a month, YYYY-MM; default: this month (Beijing)');
const dutyEnum = z.enum(DUTIES);
const kindEnum = z.enum(SHOP_KINDS);

export const agreementBodySchema = z.object({
  duties: z.array(dutyEnum).min(1).max(3).optional().describe('default: all three duties'),
  stretch: z.string().trim().min(1).max(200).describe('the stretch of frontage, e.g. 12号至16号门前'),
  lengthM: z.number().int().min(1).max(10_000).optional(),
  signedOn: day,
  validUntil: day,
  signatory: z.string().trim().max(50).optional(),
});

export const shopBodySchema = z.object({
  alleyId: id,
  name: z.string().trim().min(1).max(100),
  kind: kindEnum,
  address: z.string().trim().min(1).max(200).describe('house number or address along the alley'),
  responsibleName: z.string().trim().max(50).optional(),
  responsiblePhone: z.string().trim().max(30).optional(),
  agreement: agreementBodySchema.optional(),
});

const ratingOut = z.object({
  stars: z.number().int().min(1).max(5).nullable().describe('null: not rated (no check in the month)'),
  checks: z.number().int(),
  passed: z.number().int(),
  items: z.number().int(),
  share: z.number().nullable(),
});

const agreementOut = z.object({
  id: z.string(),
  version: z.number().int(),
  duties: z.array(z.string()),
  stretch: z.string(),
  lengthM: z.number().int().nullable(),
  signedOn: z.string(),
  validUntil: z.string(),
  signatory: z.string(),
  createdAt: z.string(),
  supersededAt: z.string().nullable(),
});

const agreementStateEnum = z.enum(['valid', 'expired', 'not_yet', 'none']);

const shopOut = z.object({
  id: z.string(),
  alleyId: z.string(),
  alleyName: z.string(),
  streetCode: z.string(),
  communityCode: z.string().nullable(),
  name: z.string(),
  kind: kindEnum,
  address: z.string(),
  responsibleName: z.string(),
  responsiblePhone: z.string(),
  active: z.boolean(),
  agreement: agreementOut.nullable(),
  agreementState: agreementStateEnum,
  rating: ratingOut,
});

export const shopsQuerySchema = z.object({ alley: id.optional(), month: month.optional() });
export const shopsOut = z.object({ month: z.string(), items: z.array(shopOut) });

export const shopDetailOut = shopOut.extend({
  agreements: z.array(agreementOut).describe('every version, newest first'),
  checks: z.array(
    z.object({
      id: z.string(),
      checkedOn: z.string(),
      appearanceOk: z.boolean(),
      sanitationOk: z.boolean(),
      orderOk: z.boolean(),
      note: z.string(),
      source: z.enum(['staff', 'inspection']),
      inspectionId: z.string().nullable(),
      recorderName: z.string().nullable(),
    }),
  ),
});

export const shopParamsSchema = z.object({ id });

export const checkBodySchema = z.object({
  checkedOn: day.optional().describe('default: today'),
  appearanceOk: z.boolean().describe('市容整洁'),
  sanitationOk: z.boolean().describe('环境卫生'),
  orderOk: z.boolean().describe('秩序'),
  note: z.string().trim().max(2000).optional(),
});

export const checkOut = z.object({
  id: z.string(),
  shopId: z.string(),
  checkedOn: z.string(),
  appearanceOk: z.boolean(),
  sanitationOk: z.boolean(),
  orderOk: z.boolean(),
  note: z.string(),
  month: z.string(),
  rating: ratingOut.describe("the shop's rating of the check's month, this check included"),
});

export const ratingsQuerySchema = shopsQuerySchema;
export const ratingsOut = z.object({
  month: z.string(),
  alleys: z.array(
    z.object({
      alleyId: z.string(),
      alleyName: z.string(),
      shops: z.number().int(),
      rated: z.number().int(),
      averageStars: z.number().nullable(),
      items: z.array(
        z.object({
          shopId: z.string(),
          name: z.string(),
          kind: kindEnum,
          address: z.string(),
          agreementState: agreementStateEnum,
          rating: ratingOut,
        }),
      ),
    }),
  ),
});

export const publicShopsParams = z.object({ id });
export const publicShopsOut = z.object({
  alleyId: z.string(),
  month: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: kindEnum,
      address: z.string(),
      agreement: z
        .object({
          duties: z.array(z.string()),
          stretch: z.string(),
          lengthM: z.number().int().nullable(),
          validUntil: z.string(),
          state: agreementStateEnum,
        })
        .nullable(),
      ratingMonth: z.string().nullable().describe('the month the stars are of: this one or the last rated'),
      stars: z.number().int().min(1).max(5).nullable().describe('null: not rated'),
      checks: z.number().int(),
    }),
  ),
});
