import { z } from 'zod';
import { ROLES } from '../accounts/roles.ts';

/** The header a CLI on the server's machine sends: the secret from the data folder's lock file. */
export const OPERATOR_SECRET_HEADER = 'x-hutong-operator-secret';

export const operatorImportBodySchema = z
  .object({
    filename: z.string().min(1).max(255),
    base64: z.string().min(1).describe('the work-order file (.xlsx, .csv or .json), base64'),
    mapping: z.unknown().optional().describe('a JSON column mapping, as `--mapping` reads it'),
    dryRun: z.boolean().default(false),
  })
  .meta({ id: 'OperatorHotlineImport' });

export const operatorUserBodySchema = z
  .object({
    username: z.string().min(1).max(64),
    role: z.enum(ROLES),
    scopeCode: z.string().min(1).max(32).nullable().default(null),
    organisationId: z.string().min(1).max(64).nullable().default(null),
    displayName: z.string().min(1).max(100),
    phone: z.string().min(1).max(50).nullable().default(null),
    password: z.string().min(1).max(200),
  })
  .meta({ id: 'OperatorUserAdd' });

export const operatorUserResponseSchema = z.object({
  username: z.string(),
  role: z.string(),
  scopeCode: z.string().nullable(),
  scopeName: z.string().nullable(),
});

export const operatorTokenBodySchema = z.object({
  username: z.string().min(1).max(64),
  name: z.string().min(1).max(100).describe('what the token is for'),
});

export const operatorTokenResponseSchema = z.object({ token: z.string() });

/** The server retrains with its own settings; the body is empty. */
export const operatorRetrainBodySchema = z.object({});

const heldOutScore = z.object({ macroF1: z.number(), accuracy: z.number() });

export const operatorRetrainResponseSchema = z.object({
  candidate: z.string(),
  previous: z.string().nullable(),
  active: z.string(),
  activated: z.boolean(),
  reason: z.string(),
  taxonomyEntries: z.number(),
  trainingLabels: z.number(),
  heldOutLabels: z.number(),
  skippedLabels: z.number(),
  candidateScore: heldOutScore.nullable(),
  previousScore: heldOutScore.nullable(),
  trainingMs: z.number(),
});
