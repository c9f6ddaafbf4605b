import { z } from 'zod';

/** An indicator's level: 1 (area), 2 (item) or 3 (the finding an inspector records). */
const indicatorLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const indicatorItemSchema = z.object({
  code: z.string(),
  name: z.string(),
  // The same type as the body of a save: the console sends back what it read.
  level: indicatorLevelSchema,
  parentCode: z.string().nullable(),
  /** Points deducted per finding. */
  deduction: z.number(),
  /** The most this indicator deducts in one inspection. */
  deductionCap: z.number(),
  categoryKey: z.string().nullable(),
  standard: z.string(),
  departmentType: z.string().nullable(),
  checklistKey: z.string().nullable(),
  frontage: z.boolean(),
});

export const indicatorVersionSchema = z.object({
  id: z.string(),
  districtCode: z.string(),
  number: z.number().int(),
  label: z.string(),
  basedOn: z.string().nullable(),
  illustrative: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
});

export const indicatorSystemSchema = z.object({
  versionId: z.string(),
  version: indicatorVersionSchema,
  shape: z.tuple([z.number(), z.number(), z.number()]).describe('indicators at levels 1, 2 and 3'),
  items: z.array(indicatorItemSchema),
});

export const indicatorQuerySchema = z.object({
  district: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  versionId: z.string().max(100).optional(),
});

export const saveSystemSchema = z.object({
  district: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  label: z.string().max(200).optional(),
  items: z
    .array(
      z.object({
        code: z.string().min(1).max(20),
        name: z.string().min(1).max(200),
        level: indicatorLevelSchema,
        parentCode: z.string().max(20).nullable(),
        deduction: z.number().min(0).max(100),
        deductionCap: z.number().min(0).max(100),
        categoryKey: z.string().max(40).nullable(),
        standard: z.string().max(2000).default(''),
        departmentType: z.string().max(40).nullable().default(null),
        checklistKey: z.string().max(40).nullable().default(null),
        frontage: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(2000),
});
