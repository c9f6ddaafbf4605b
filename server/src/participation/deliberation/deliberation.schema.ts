import { z } from 'zod';
import { DECISION_KINDS, VOTE_CHOICES } from './deliberation.rules.ts';

const community = z.string().regex(/^\d{12}$/);
const id = z.string().min(1).max(100);
const authorKind = z.enum(['resident', 'council', 'chief', 'staff']);

export const idParams = z.object({ id });

export const proposalsQuerySchema = z.object({
  community: community.optional(),
  street: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  alley: id.optional(),
  state: z.enum(['discussion', 'voting', 'closed', 'withdrawn']).optional(),
});

export const proposalBodySchema = z.object({
  communityCode: community,
  alleyId: id.optional(),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(5000),
  council: z.boolean().optional().describe('true: a resident submits it for the alley council (街巷理事会)'),
});

export const tallyOut = z.object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() });

export const proposalOut = z.object({
  id: z.string(),
  communityCode: z.string(),
  alleyId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  proposerKind: authorKind,
  state: z.enum(['discussion', 'voting', 'closed', 'withdrawn']),
  createdAt: z.string(),
  comments: z.number().int(),
  vote: z
    .object({
      openedAt: z.string().nullable(),
      closesAt: z.string(),
      eligible: z.number().int(),
      quorum: z.number().int(),
      closedAt: z.string().nullable(),
      tally: tallyOut.nullable().describe('null until the vote is closed: the count is secret until then'),
      outcome: z.enum(['adopted', 'rejected', 'no_quorum']).nullable(),
    })
    .nullable(),
  myVote: z.enum(VOTE_CHOICES).nullable().describe("the caller's own ballot, for a signed-in member"),
  minutes: z.object({ text: z.string(), recordedAt: z.string().nullable() }).nullable(),
  decision: z
    .object({
      kind: z.enum(DECISION_KINDS),
      ref: z.string().nullable().describe('the case, campaign or plan item opened'),
      note: z.string(),
      decidedAt: z.string().nullable(),
    })
    .nullable(),
});
export const proposalsOut = z.object({ items: z.array(proposalOut) });

export const commentBodySchema = z.object({ body: z.string().trim().min(1).max(2000) });
export const commentOut = z.object({ id: z.string(), authorKind, body: z.string(), at: z.string() });
export const commentsOut = z.object({ items: z.array(commentOut) });

export const votingBodySchema = z
  .object({
    closesAt: z.iso.datetime({ offset: true }),
    quorumPercent: z.number().int().min(1).max(100).optional().describe('default 50 (% of eligible members)'),
    quorum: z.number().int().min(1).max(1_000_000).optional().describe('a number of ballots instead'),
  })
  .refine((b) => b.quorum === undefined || b.quorumPercent === undefined, {
    message: 'give quorum or quorumPercent, not both',
    path: ['quorum'],
  });

export const voteBodySchema = z.object({ choice: z.enum(VOTE_CHOICES) });
export const voteOut = z.object({ proposalId: z.string(), choice: z.enum(VOTE_CHOICES), castAt: z.string() });

export const minutesBodySchema = z.object({ text: z.string().trim().min(1).max(20_000) });

export const decisionBodySchema = z.object({
  kind: z.enum(DECISION_KINDS),
  note: z.string().max(2000).optional(),
  case: z
    .object({
      description: z.string().trim().min(1).max(2000).optional(),
      lng: z.number().min(-180).max(180).optional(),
      lat: z.number().min(-90).max(90).optional(),
      alleyId: id
        .optional()
        .describe("without lng/lat: the middle of this alley of the proposal's community"),
      categoryKey: z.string().max(50).optional(),
    })
    .optional()
    .describe(
      "kind case: the case to open (default: the proposal's title at the middle of the named alley or its own)",
    ),
  campaign: z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      categoryKeys: z.array(z.string().max(50)).max(20).optional(),
      endsAt: z.string().max(40).optional(),
    })
    .optional(),
  planItem: z
    .object({
      alleyId: id.optional(),
      title: z.string().trim().min(1).max(200).optional(),
      description: z.string().max(2000).optional(),
    })
    .optional(),
});

export const planItemsQuerySchema = z.object({ alley: id.optional() });
export const planItemsOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      alleyId: z.string(),
      proposalId: z.string(),
      title: z.string(),
      description: z.string(),
      createdAt: z.string(),
    }),
  ),
});
