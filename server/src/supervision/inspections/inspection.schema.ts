import { z } from 'zod';

export const findingSchema = z.object({
  indicatorCode: z.string().min(1).max(20),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  note: z.string().max(2000).default(''),
  shopId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('a 门前三包 finding may name the registered shop it concerns: it becomes that shop’s check'),
});

export const inspectionBodySchema = z.object({
  alleyId: z.string().min(1).max(100),
  versionId: z
    .string()
    .max(100)
    .optional()
    .describe('the indicator version the form showed; refused if no longer active'),
  findings: z.array(findingSchema).max(200),
});

export const inspectionCreatedSchema = z.object({
  id: z.string(),
  score: z.number(),
  caseNumbers: z.array(z.string()),
  previousId: z.string().nullable(),
  versionId: z.string(),
});

const summarySchema = z.object({
  id: z.string(),
  alleyId: z.string(),
  alleyName: z.string(),
  streetCode: z.string(),
  versionId: z.string(),
  inspector: z.object({ userId: z.string(), name: z.string(), role: z.string() }),
  score: z.number(),
  previousId: z.string().nullable(),
  createdAt: z.string(),
});

export const inspectionListSchema = z.array(summarySchema.extend({ findingCount: z.number().int() }));

export const inspectionDetailSchema = summarySchema.extend({
  findings: z.array(
    z.object({
      indicatorCode: z.string(),
      indicatorName: z.string(),
      deduction: z.number(),
      lng: z.number(),
      lat: z.number(),
      note: z.string(),
      caseId: z.string(),
      caseNumber: z.string(),
      caseState: z.string(),
      shopId: z.string().nullable(),
    }),
  ),
});

export const inspectionFormSchema = z.object({
  alley: z.object({ id: z.string(), name: z.string(), streetCode: z.string(), alleyType: z.string() }),
  versionId: z.string(),
  items: z.array(
    z.object({
      code: z.string(),
      level: z.number().int(),
      parentCode: z.string().nullable(),
      name: z.string(),
      standard: z.string(),
      deductionPoints: z.number(),
      deductionCap: z.number(),
      categoryKey: z.string().nullable(),
      departmentType: z.string().nullable(),
      checklistKey: z.string().nullable(),
      frontage: z.boolean(),
    }),
  ),
  previous: z.object({ id: z.string(), score: z.number(), at: z.string() }).nullable(),
});
