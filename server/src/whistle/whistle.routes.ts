import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import {
  doneBodySchema,
  jointActionListQuerySchema,
  jointActionListSchema,
  jointActionSchema,
  minutesBodySchema,
  recordForUnitBodySchema,
  taskBodySchema,
} from './whistle.schema.ts';

const caseParams = z.object({ id: z.string().min(1).max(100) });

export const whistleRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.whistle;

  app.get(
    '/api/joint-actions',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Joint actions (吹哨) in the caller jurisdiction, or those its organisation was summoned to, newest ' +
          'first: every tier-3 case, from the whistle on',
        querystring: jointActionListQuerySchema,
        response: { 200: jointActionListSchema },
      },
    },
    async (request) => svc.list(requireActor(request), request.query),
  );

  app.get(
    '/api/cases/:id/joint-action',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The joint action of a tier-3 case (吹哨): who was summoned, who reported in and whether on time, ' +
          'the meeting minutes and decisions, and the tasks of each unit',
        params: caseParams,
        response: { 200: jointActionSchema },
      },
    },
    async (request) => svc.view(requireActor(request), request.params.id),
  );

  app.put(
    '/api/cases/:id/joint-action/minutes',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Record the joint meeting minutes and decisions (the street dispatcher of the case jurisdiction)',
        params: caseParams,
        body: minutesBodySchema,
        response: { 200: jointActionSchema },
      },
    },
    async (request) => svc.putMinutes(requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/joint-action/tasks',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Give a summoned unit a task with its own deadline; while any task is open the street cannot accept ' +
          'the joint action (409 JOINT_TASKS_OPEN)',
        params: caseParams,
        body: taskBodySchema,
        response: { 201: jointActionSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.addTask(requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/cases/:id/joint-action/tasks/:taskId/done',
    {
      schema: {
        tags: ['cases'],
        summary: "Report a joint task done (the task's own unit)",
        params: caseParams.extend({ taskId: z.string().min(1).max(100) }),
        body: doneBodySchema,
        response: { 200: jointActionSchema },
      },
    },
    async (request) =>
      svc.completeTask(requireActor(request), request.params.id, request.params.taskId, request.body?.note),
  );

  app.post(
    '/api/cases/:id/joint-action/units/:organisationId/record',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The street desk records for a summoned unit (no account, or it answered by phone): its report-in, ' +
          'a task done, or its refusal of the summons; recorded by the caller, on whose word, with evidence',
        params: caseParams.extend({ organisationId: z.string().min(1).max(100) }),
        body: recordForUnitBodySchema,
        response: { 200: jointActionSchema },
      },
    },
    async (request) =>
      svc.recordForUnit(
        requireActor(request),
        request.params.id,
        request.params.organisationId,
        request.body,
      ),
  );
};
