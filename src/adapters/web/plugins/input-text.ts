import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { textProblem } from '../../../domain/text.ts';
import { TEXT_RULE_KEYWORD } from '../problems.ts';

type Context = 'params' | 'querystring' | 'body';

interface TextRefusal {
  field: string;
  instancePath: string;
  message: string;
}

/** Every string in a parsed value, with its path; a field's kind is that of its top-level name (body.file.text is the file). */
function findRefusal(value: unknown, field: string, path: string): TextRefusal | undefined {
  if (typeof value === 'string') {
    const message = textProblem(field, value);
    return message ? { field, instancePath: path, message } : undefined;
  }
  // an uploaded image's bytes are not text
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = findRefusal(inner, field || key, `${path}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Control characters are refused once, at the edge, before any schema or handler sees the request: in the path,
 * the query string and every body (JSON, forms, uploads). The error has the shape of a schema error, so the API
 * answers 400 problem+json naming the field and the pages their 400 page.
 */
export const inputText = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const sources: [Context, unknown][] = [['params', request.params], ['querystring', request.query], ['body', request.body]];
    for (const [context, source] of sources) {
      const refusal = findRefusal(source, '', '');
      if (refusal) {
        throw Object.assign(new Error(`Il campo "${refusal.field}" ${refusal.message}.`), {
          statusCode: 400,
          validationContext: context,
          validation: [{ keyword: TEXT_RULE_KEYWORD, instancePath: refusal.instancePath, schemaPath: '', params: {}, message: refusal.message }],
        });
      }
    }
  });
});
