import type { AppContext } from '../http/context.ts';
import { Open311Registry } from './open311.registry.ts';
import { Open311Service } from './open311.service.ts';

export type Open311Context = Pick<AppContext, 'db' | 'clock' | 'taxonomy' | 'territory' | 'cases' | 'media'>;

export interface Open311 {
  registry: Open311Registry;
  service: Open311Service;
}

const wired = new WeakMap<Open311Context, Open311>();

/**
 * The Open311 services over an application context: built once per context and shared by the routes,
 * the CLI and the demo loader, so that all three file requests through the same `CaseService`.
 */
export function open311Of(ctx: Open311Context): Open311 {
  let found = wired.get(ctx);
  if (!found) {
    const registry = new Open311Registry(ctx.db, ctx.clock, ctx.taxonomy);
    const service = new Open311Service(ctx.db, ctx.clock, {
      taxonomy: ctx.taxonomy,
      territory: ctx.territory,
      cases: ctx.cases,
      media: ctx.media,
      registry,
    });
    found = { registry, service };
    wired.set(ctx, found);
  }
  return found;
}
