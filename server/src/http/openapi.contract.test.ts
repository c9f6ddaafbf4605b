import fs from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_TYPES_PATH, generateApiTypes } from '../../../scripts/gen-api.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.ts';

/**
 * One contract between the server and the web: every operation of the OpenAPI document describes its
 * success answer, and the web's types (web/src/api/openapi.gen.ts) are generated from that document.
 */
let doc: OpenApiDocument;
beforeAll(async () => {
  doc = await buildOpenApiDocument();
});

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

/** `METHOD /path` of every operation whose 2xx answers have no schema (204 needs none: it has no body). */
function operationsWithoutSuccessSchema(paths: Record<string, Record<string, Operation>>): string[] {
  const missing: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const successes = Object.entries(op.responses ?? {}).filter(([code]) => /^2/.test(code));
      const described = successes.some(
        ([code, r]) =>
          code === '204' ||
          Object.values(r.content ?? {}).some((m) => m.schema && Object.keys(m.schema).length > 0),
      );
      if (!described) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return missing;
}

describe('the OpenAPI document', () => {
  it('describes a success answer for every operation', () => {
    const paths = doc.paths as Record<string, Record<string, Operation>>;
    expect(Object.keys(paths).length).toBeGreaterThan(100);
    expect(operationsWithoutSuccessSchema(paths)).toEqual([]);
  });

  it('the check catches an operation without one', () => {
    expect(
      operationsWithoutSuccessSchema({
        '/a': {
          get: { responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } } } },
        },
        '/b': { get: { responses: { '200': {} } }, delete: { responses: { '204': {} } } },
        '/c': {
          post: { responses: { '400': { content: { 'application/json': { schema: { type: 'object' } } } } } },
        },
      }),
    ).toEqual(['GET /b', 'POST /c']);
  });

  it('describes the case views fully, with what the caller may do', () => {
    const schemas = doc.components?.schemas as Record<
      string,
      { properties?: Record<string, unknown>; required?: string[] }
    >;
    for (const name of ['CaseDetail', 'CaseListItem']) {
      expect(schemas[name]?.required).toEqual(expect.arrayContaining(['id', 'state', 'allowedActions']));
    }
    expect(schemas.CaseDetail?.required).toEqual(
      expect.arrayContaining(['events', 'photos', 'assignedUnits']),
    );
  });
});

describe('the web API types', () => {
  it('are generated from the current document', async () => {
    const fresh = await generateApiTypes();
    const committed = await fs.readFile(GENERATED_TYPES_PATH, 'utf8').catch(() => '');
    if (committed !== fresh) {
      throw new Error(
        'web/src/api/openapi.gen.ts is stale: the server API changed since it was generated. ' +
          'Run `npm run gen:api` and commit the result.',
      );
    }
  });
});
