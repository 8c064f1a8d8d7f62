import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.ts';
import type { Flash, PageContext } from './page.tsx';
import type { BackofficeText } from './text.ts';

/** What the back office's plugin gives each of its page modules: in a module of its own, so the pages need not import the plugin. */
export interface BackofficeKit {
  deps: AppDeps;
  render(request: FastifyRequest, reply: FastifyReply, status: number, page: (ctx: PageContext) => JSX.Element, flash?: Flash): Promise<FastifyReply>;
  /** Post/redirect/get: the message is shown once on the next page. */
  redirect(reply: FastifyReply, to: string, flash?: Flash): FastifyReply;
  text(request: FastifyRequest): BackofficeText;
}
