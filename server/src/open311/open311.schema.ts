import { z } from 'zod';
import { ATTRIBUTE_CODE_RE, DATATYPES } from './open311.attributes.ts';

/** Shapes of the console routes under /api/open311 (the GeoReport routes speak the specification's). */

const districtSchema = z.string().regex(/^\d{6}$/, 'a 6-digit district code');
const serviceCodeSchema = z
  .string()
  .trim()
  .regex(/^((component|event):)?\d{5}$/, 'a taxonomy key such as event:06010, or its 5-digit code');

export const attributeValueSchema = z.object({
  key: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
});

export const attributeInputSchema = z.object({
  serviceCode: serviceCodeSchema.describe('the service (taxonomy key) the question belongs to'),
  district: districtSchema.optional().describe("defaults to the caller's district"),
  code: z.string().regex(ATTRIBUTE_CODE_RE, 'letters, digits, _ and -, at most 50'),
  variable: z.boolean().default(true).describe('false: shown to the reporter as information, takes no input'),
  datatype: z.enum(DATATYPES),
  required: z.boolean().default(false),
  datatypeDescription: z.string().trim().max(500).nullish(),
  order: z.number().int().min(1).max(1000),
  description: z.string().trim().min(1).max(1000),
  values: z
    .array(attributeValueSchema)
    .max(200)
    .default([])
    .describe('for singlevaluelist and multivaluelist'),
});
export type AttributeInput = z.infer<typeof attributeInputSchema>;

export const attributePatchSchema = attributeInputSchema
  .omit({ serviceCode: true, district: true })
  .partial()
  .extend({
    variable: z.boolean().optional(),
    required: z.boolean().optional(),
    values: z.array(attributeValueSchema).max(200).optional(),
  });
export type AttributePatch = z.infer<typeof attributePatchSchema>;

export const attributeViewSchema = z
  .object({
    id: z.string(),
    districtCode: z.string(),
    serviceCode: z.string(),
    code: z.string(),
    variable: z.boolean(),
    datatype: z.enum(DATATYPES),
    required: z.boolean(),
    datatypeDescription: z.string().nullable(),
    order: z.number().int(),
    description: z.string(),
    values: z.array(attributeValueSchema),
    updatedAt: z.string(),
  })
  .meta({ id: 'Open311Attribute' });

export const clientViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    districtCode: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: 'Open311Client' });

export const clientCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  districtCode: districtSchema.optional().describe("defaults to the caller's district"),
});

const reporterSchema = z.object({
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  accountId: z.string().nullable(),
});

export const caseDetailSchema = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    request: z
      .object({
        client: z.object({ id: z.string(), name: z.string().nullable() }),
        serviceCode: z.string(),
        answers: z.array(
          z.object({
            code: z.string(),
            question: z.string().nullable(),
            value: z.union([z.string(), z.array(z.string())]),
            label: z.union([z.string(), z.array(z.string())]),
          }),
        ),
        reporter: reporterSchema.extend({ deviceId: z.string().nullable() }),
        mediaUrl: z.string().nullable(),
        addressString: z.string().nullable(),
        addressId: z.string().nullable(),
        receivedAt: z.string(),
      })
      .nullable()
      .describe('null when the case did not come through Open311'),
    updates: z.array(
      z.object({
        id: z.string(),
        client: z.object({ id: z.string(), name: z.string() }),
        clientUpdateId: z.string().nullable(),
        description: z.string(),
        clientStatus: z.string().nullable(),
        suggestedState: z
          .object({ state: z.string(), rejectReason: z.string().optional() })
          .nullable()
          .describe("the Hutong state the client's status stands for; never applied by itself"),
        caseStateThen: z.string(),
        clientDatetime: z.string().nullable(),
        mediaUrl: z.string().nullable(),
        reporter: reporterSchema,
        receivedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'Open311CaseDetail' });
