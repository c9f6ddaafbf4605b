import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { type IndicatorInput, shapeOf } from './indicator.rules.ts';
import {
  indicatorQuerySchema,
  indicatorSystemSchema,
  indicatorVersionSchema,
  saveSystemSchema,
} from './indicator.schema.ts';
import type { IndicatorSystem } from './indicator.service.ts';

export function systemView(s: IndicatorSystem) {
  return {
    versionId: s.version.id,
    version: s.version,
    shape: shapeOf(s.items),
    items: s.items.map((it) => ({
      code: it.code,
      name: it.name,
      level: it.level,
      parentCode: it.parentCode,
      deduction: it.deductionPoints,
      deductionCap: it.deductionCap,
      categoryKey: it.categoryKey,
      standard: it.standard,
      departmentType: it.departmentType,
      checklistKey: it.checklistKey,
      frontage: it.frontage,
    })),
  };
}

export const indicatorRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.supervision.indicators;

  app.get(
    '/api/indicators',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'The indicator system (active version, or one named): levels 1–3 with deductions and categories',
        querystring: indicatorQuerySchema,
        response: { 200: indicatorSystemSchema },
      },
    },
    async (request) => systemView(await svc.read(requireActor(request), request.query)),
  );

  app.get(
    '/api/indicators/versions',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Every version of the district indicator system, newest first',
        querystring: z.object({
          district: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.array(indicatorVersionSchema) },
      },
    },
    async (request) => svc.versions(requireActor(request), request.query.district),
  );

  app.put(
    '/api/indicators',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Save the whole indicator system as a new version and activate it (district administrator)',
        body: saveSystemSchema,
        response: { 200: indicatorSystemSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const district = await svc.districtFor(actor, request.body.district);
      const items: IndicatorInput[] = request.body.items.map((it) => ({
        code: it.code,
        level: it.level,
        parentCode: it.parentCode,
        name: it.name,
        standard: it.standard,
        deductionPoints: it.deduction,
        deductionCap: it.deductionCap,
        categoryKey: it.categoryKey,
        departmentType: it.departmentType,
        checklistKey: it.checklistKey,
        frontage: it.frontage,
      }));
      return systemView(await svc.save(actor, district, items, { label: request.body.label }));
    },
  );

  app.post(
    '/api/indicators/versions/:id/activate',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Activate an earlier version of the indicator system (the undo of an edit)',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z
          .object({
            district: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
          })
          .optional(),
        response: { 200: indicatorSystemSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const district = await svc.districtFor(actor, request.body?.district);
      return systemView(await svc.activate(actor, district, request.params.id));
    },
  );
};
