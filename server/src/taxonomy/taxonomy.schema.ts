import { z } from 'zod';

/** The problem taxonomy (SPEC §3) and routing rules (SPEC §4.3): shapes shared by HTTP, CLI and services. */

export const KINDS = ['component', 'event'] as const;
export type Kind = (typeof KINDS)[number];

export const LIMIT_UNITS = ['working_hours', 'working_days', 'calendar_hours'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

export const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_ORIGINS = ['default', 'manual'] as const;
export type RuleOrigin = (typeof RULE_ORIGINS)[number];

/** `kind:code`, e.g. `event:06010`: codes repeat between components and events. */
export const KEY_RE = /^(component|event):\d{5}$/;
/** An exact key, a major class (`event:06`) or `*`. */
export const KEY_PATTERN_RE = /^(\*|(component|event):\d{2}(\d{3})?)$/;
export const DEPARTMENT_TYPE_RE = /^[a-z][a-z0-9_]{1,49}$/;

export interface Limit {
  amount: number;
  unit: LimitUnit;
}

/** One row of a catalogue file: what the national standard (or a district's edit of it) says. */
export interface CatalogueRow {
  kind: Kind;
  code: string;
  majorClass: string;
  name: string;
  keywords: string[];
}

/** What a district decides about a category on top of the catalogue. */
export interface EntrySettings {
  departmentType: string;
  responseLimit: Limit;
  handlingLimit: Limit;
  severity: Severity;
  public: boolean;
  relatedKeys: string[];
}

export interface TaxonomyEntry extends CatalogueRow, EntrySettings {
  key: string;
}

export interface TaxonomyVersion {
  id: string;
  districtCode: string;
  number: number;
  label: string;
  basedOn: string | null;
  createdAt: string;
  createdBy: string | null;
  active: boolean;
}

export interface RoutingRule {
  id: string;
  districtCode: string;
  keyPattern: string;
  territoryPrefix: string;
  organisationId: string;
  organisationName: string | null;
  priority: number;
  origin: RuleOrigin;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

// ---- HTTP ------------------------------------------------------------------------------------

export const districtCodeSchema = z.string().regex(/^\d{6}$/, 'must be 6 digits');
export const territoryCodeSchema = z
  .string()
  .regex(
    /^(\d{6}|\d{9}|\d{12}|\d{15})$/,
    'a district, street, community or grid code (6, 9, 12 or 15 digits)',
  );

export const limitSchema = z
  .object({
    amount: z.number().positive().max(9999),
    unit: z.enum(LIMIT_UNITS),
  })
  .meta({ id: 'TimeLimit' });

export const keySchema = z.string().regex(KEY_RE, 'a taxonomy key such as event:06010');
export const keyPatternSchema = z
  .string()
  .regex(KEY_PATTERN_RE, 'an exact key (event:06010), a major class (event:06) or *');
export const departmentTypeSchema = z
  .string()
  .regex(DEPARTMENT_TYPE_RE, 'lower-case letters, digits and underscores, e.g. urban_management');

export const entrySchema = z
  .object({
    key: z.string(),
    kind: z.enum(KINDS),
    code: z.string(),
    majorClass: z.string(),
    name: z.string(),
    keywords: z.array(z.string()),
    departmentType: z.string(),
    responseLimit: limitSchema,
    handlingLimit: limitSchema,
    severity: z.enum(SEVERITIES),
    public: z.boolean().describe('false: cases in this category are never shown on public pages'),
    relatedKeys: z.array(z.string()).describe('categories whose open cases may be duplicates'),
  })
  .meta({ id: 'TaxonomyEntry' });

export const versionSchema = z
  .object({
    id: z.string(),
    districtCode: z.string(),
    number: z.number(),
    label: z.string(),
    basedOn: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'TaxonomyVersion' });

export const entryPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    keywords: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    departmentType: departmentTypeSchema.optional(),
    responseLimit: limitSchema.optional(),
    handlingLimit: limitSchema.optional(),
    severity: z.enum(SEVERITIES).optional(),
    public: z.boolean().optional(),
    relatedKeys: z.array(keySchema).max(100).optional(),
    reason: z.string().trim().max(200).optional().describe('becomes the new version label'),
    basedOnVersionId: z
      .string()
      .optional()
      .describe('the version the editor read; 409 CONFLICT when another edit has been activated since'),
  })
  .refine(
    (p) => Object.keys(p).some((k) => k !== 'reason' && k !== 'basedOnVersionId'),
    'change at least one field',
  );
export type EntryPatch = z.infer<typeof entryPatchSchema>;

export const ruleSchema = z
  .object({
    id: z.string(),
    districtCode: z.string(),
    keyPattern: z.string(),
    territoryPrefix: z.string(),
    organisationId: z.string(),
    organisationName: z.string().nullable(),
    priority: z.number(),
    origin: z.enum(RULE_ORIGINS),
    note: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
  })
  .meta({ id: 'RoutingRule' });

export const ruleInputSchema = z.object({
  keyPattern: keyPatternSchema,
  territoryPrefix: territoryCodeSchema,
  organisationId: z.string().min(1).max(64),
  priority: z.number().int().min(-1000).max(1000).optional(),
  note: z.string().trim().max(200).nullish(),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const rulePatchSchema = ruleInputSchema.partial().extend({ version: z.number().int().min(1) });
export type RulePatch = z.infer<typeof rulePatchSchema>;

export const routeSchema = z
  .object({
    key: z.string(),
    entry: z.object({ name: z.string(), departmentType: z.string() }),
    location: z.object({
      streetCode: z.string(),
      communityCode: z.string().nullable(),
      gridCode: z.string().nullable(),
    }),
    organisation: z.object({ id: z.string(), name: z.string().nullable() }),
    ruleId: z.string(),
    match: z.object({
      key: z.enum(['exact', 'major_class', 'any']),
      territoryPrefix: z.string(),
      priority: z.number(),
    }),
    reason: z.string(),
  })
  .meta({ id: 'Route' });
