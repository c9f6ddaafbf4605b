import { z } from 'zod';
import { ORGANISATION_KINDS } from '../db/schema.ts';
import { CAPABILITIES } from './capabilities.ts';
import { ROLES, TIER1_HANDLER_ROLES, USUAL_FILING_CHANNELS } from './roles.ts';

export const publicUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    scopeCode: z.string().nullable(),
    scopeName: z.string().nullable(),
    organisationId: z.string().nullable(),
    organisationName: z.string().nullable(),
    phone: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'User' });

export const loginBodySchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const capabilitySchema = z
  .enum(CAPABILITIES)
  .describe(
    'An area, tab or button the signed-in user may open (an authorisation action), or how they reach cases',
  )
  .meta({ id: 'Capability' });

export const sessionResponseSchema = z.object({
  user: publicUserSchema,
  capabilities: z.array(capabilitySchema),
  filingChannel: z
    .enum(USUAL_FILING_CHANNELS)
    .nullable()
    .describe('The channel a case filed by this user usually comes through: where the filing form starts'),
  csrfToken: z.string(),
});

export const roleRulesSchema = z
  .object({
    role: z.enum(ROLES),
    needsJurisdiction: z
      .boolean()
      .describe('An account of this role must name a district, street, community or grid'),
    organisationKind: z
      .enum(ORGANISATION_KINDS)
      .nullable()
      .describe('The kind of organisation an account of this role acts for, when it acts for one'),
  })
  .meta({ id: 'RoleRules' });

export const createUserBodySchema = z.object({
  username: z.string().min(1).max(64),
  displayName: z.string().max(100).default(''),
  password: z.string().min(1).max(1024),
  role: z.enum(ROLES),
  scopeCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,3}$/, 'a 6, 9, 12 or 15-digit territory code')
    .nullish(),
  organisationId: z.string().nullish(),
  phone: z.string().max(40).nullish(),
});

export const updateUserBodySchema = z.object({
  active: z.boolean().optional(),
  displayName: z.string().min(1).max(100).optional(),
  phone: z.string().max(40).nullable().optional(),
  password: z.string().min(1).max(1024).optional(),
});

export const userListQuerySchema = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const tier1HandlersQuerySchema = z.object({
  territory: z
    .string()
    .regex(/^\d{6}(\d{3}){0,3}$/, 'a 6, 9, 12 or 15-digit territory code')
    .describe("the case's grid, else its street"),
});

export const tier1HandlerSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    role: z.enum(TIER1_HANDLER_ROLES),
    scopeCode: z.string().nullable(),
    scopeName: z.string().nullable(),
  })
  .meta({ id: 'Tier1Handler' });

export const createTokenBodySchema = z.object({ name: z.string().min(1).max(100) });
