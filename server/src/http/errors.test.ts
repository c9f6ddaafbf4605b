import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { fieldIssuesFromZod } from '../shared/zodIssues.ts';
import { installErrorHandler } from './errors.ts';

/**
 * VALIDATION_FAILED names each refused field with a stable code and the rule's parameters, so a
 * client words the message in its own language; zod's English message stays for developers.
 */
const body = z.object({
  description: z.string().min(5).max(500),
  count: z.number().int().max(10),
  channel: z.enum(['desk', 'phone']),
  email: z.email(),
  tags: z.array(z.string()).max(2),
  chief: z.object({ phone: z.string().regex(/^\d{11}$/) }),
});

async function app() {
  const server = Fastify();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  installErrorHandler(server);
  server
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/things',
      { schema: { body, querystring: z.object({ page: z.coerce.number().min(1).optional() }) } },
      () => ({}),
    );
  server.post('/service', () => {
    throw AppError.validation([{ field: 'deadline', message: 'must be in the future' }]);
  });
  await server.ready();
  return server;
}

describe('validation error details', () => {
  it('carry the field path, the zod issue code, its parameters and the English message', async () => {
    const server = await app();
    const res = await server.inject({
      method: 'POST',
      url: '/things',
      payload: {
        description: 'abc',
        count: 'many',
        channel: 'fax',
        email: 'nobody',
        tags: ['a', 'b', 'c'],
        chief: { phone: '12' },
      },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(
      (error.details.fields as { field: string }[]).map((f) => [f.field, f]),
    );
    expect(byField.description).toEqual({
      field: 'description',
      code: 'too_small',
      params: { origin: 'string', minimum: 5, inclusive: true },
      message: expect.stringMatching(/>=5 characters/),
    });
    expect(byField.count).toMatchObject({ code: 'invalid_type', params: { expected: 'number' } });
    expect(byField.channel).toMatchObject({ code: 'invalid_value', params: { options: ['desk', 'phone'] } });
    expect(byField.email).toMatchObject({ code: 'invalid_format', params: { format: 'email' } });
    expect(byField.tags).toMatchObject({
      code: 'too_big',
      params: { origin: 'array', maximum: 2, inclusive: true },
    });
    expect(byField['chief.phone']).toMatchObject({
      code: 'invalid_format',
      params: { format: 'regex', pattern: '/^\\d{11}$/' },
    });
    await server.close();
  });

  it('prefix fields outside the body with where they were sent', async () => {
    const server = await app();
    const res = await server.inject({
      method: 'POST',
      url: '/things?page=0',
      payload: {
        description: '井盖缺失需要处理',
        count: 1,
        channel: 'desk',
        email: 'a@b.cn',
        tags: [],
        chief: { phone: '13800000000' },
      },
    });
    const fields = res.json().error.details.fields as { field: string; code: string }[];
    expect(fields).toContainEqual(expect.objectContaining({ field: 'querystring.page', code: 'too_small' }));
    await server.close();
  });

  it('give a rule a service checks itself the code custom and no parameters', async () => {
    const server = await app();
    const res = await server.inject({ method: 'POST', url: '/service' });
    expect(res.json().error.details.fields).toEqual([
      { field: 'deadline', code: 'custom', params: {}, message: 'must be in the future' },
    ]);
    await server.close();
  });

  it('read zod issues parsed outside the HTTP layer the same way (multipart fields)', () => {
    const parsed = body.safeParse({
      description: 'x'.repeat(501),
      count: 1,
      channel: 'desk',
      email: 'a@b.cn',
      tags: [],
      chief: { phone: '13800000000' },
    });
    expect(parsed.success).toBe(false);
    expect(fieldIssuesFromZod(parsed.error!.issues, ['mapping'])).toEqual([
      {
        field: 'mapping.description',
        code: 'too_big',
        params: { origin: 'string', maximum: 500, inclusive: true },
        message: expect.any(String),
      },
    ]);
  });
});
