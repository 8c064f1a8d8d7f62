/**
 * Open data, no token: the figures of the public "Monitoraggio tempi procedimentali" page (art. 1 c.28
 * L. 190/2012; art. 7 D.Lgs. 33/2013: published data are open data, reusable) as JSON and CSV.
 * Registered outside the authenticated API plugin; the same suppression of groups under 5 cases applies.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { publicTimes } from '../../../application/reports/transparency.ts';
import type { PublicTimes } from '../../../application/reports/transparency.ts';
import { OPEN_DATA_CSV, formatCsv } from '../../../domain/reports/csv.ts';
import { MIN_GROUP } from '../../../domain/reports/statistics.ts';
import type { AppDeps } from '../deps.ts';
import { UNSET_ADMINISTRATION } from '../../../application/administration.ts';
import { problemResponses } from '../schemas.ts';

const YearQuery = Type.Object({
  anno: Type.Optional(Type.Integer({ minimum: 2000, maximum: 9999, description: 'anno solare; predefinito l\'anno in corso (fino a oggi)' })),
});

const nullableNumber = Type.Union([Type.Number(), Type.Null()]);

const OpenDataSchema = Type.Object({
  titolo: Type.String(),
  ente: Type.String(),
  licenza: Type.String(),
  anno: Type.Integer(),
  dal: Type.String({ description: 'AAAA-MM-GG' }),
  al: Type.String({ description: 'AAAA-MM-GG' }),
  soglia_minima_pratiche: Type.Integer({ description: 'sotto questa soglia di pratiche concluse i valori sono null' }),
  procedimenti: Type.Array(Type.Object({
    codice: Type.String(),
    procedimento: Type.String(),
    ufficio: Type.String(),
    termine: Type.String(),
    silenzio_assenso: Type.Boolean(),
    dati_sufficienti: Type.Boolean(),
    pratiche_concluse: nullableNumber,
    quota_entro_termine_pct: nullableNumber,
    durata_media_netta_gg: nullableNumber,
  })),
}, { $id: 'OpenDataTimes' });

const LICENCE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';

function openDataOf(data: PublicTimes, administration: string) {
  return {
    titolo: 'Monitoraggio tempi procedimentali',
    ente: administration,
    licenza: LICENCE,
    anno: data.year,
    dal: data.from,
    al: data.to,
    soglia_minima_pratiche: MIN_GROUP,
    procedimenti: data.procedures.map((p) => ({
      codice: p.procedureCode,
      procedimento: p.procedureName,
      ufficio: p.officeName,
      termine: p.termText,
      silenzio_assenso: p.silenzioAssenso,
      dati_sufficienti: p.sufficient,
      pratiche_concluse: p.concluded,
      quota_entro_termine_pct: p.onTimeShare,
      durata_media_netta_gg: p.meanNetDays,
    })),
  };
}

export function openDataRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const load = async (year: number | undefined) => {
      const [data, administration] = await Promise.all([
        publicTimes(deps, year ?? Number(deps.clock.today().slice(0, 4))),
        deps.frame.administration(),
      ]);
      // before the set-up the data name no publisher
      return openDataOf(data, administration === UNSET_ADMINISTRATION ? '' : administration.name);
    };
    const common = {
      tags: ['dati aperti'],
      security: [],
      querystring: YearQuery,
    };

    app.get('/tempi-procedimentali.json', {
      schema: {
        ...common,
        operationId: 'getProcedureTimes',
        summary: 'Tempi procedimentali per procedimento (JSON, senza autenticazione)',
        response: { 200: OpenDataSchema, ...problemResponses(400) },
      },
    }, async (request, reply) => {
      reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
      return load(request.query.anno);
    });

    app.get('/tempi-procedimentali.csv', {
      schema: {
        ...common,
        operationId: 'getProcedureTimesCsv',
        summary: 'Tempi procedimentali per procedimento (CSV UTF-8 con BOM, separatore virgola, senza autenticazione)',
        response: {
          200: { description: 'una riga per procedimento, con le colonne dei dati JSON', content: { 'text/csv': { schema: Type.String() } } },
          ...problemResponses(400),
        },
      },
    }, async (request, reply) => {
      const data = await load(request.query.anno);
      const header = ['anno', 'dal', 'al', 'codice', 'procedimento', 'ufficio', 'termine', 'silenzio_assenso', 'dati_sufficienti', 'pratiche_concluse', 'quota_entro_termine_pct', 'durata_media_netta_gg'];
      const rows = data.procedimenti.map((p) => [
        data.anno, data.dal, data.al, p.codice, p.procedimento, p.ufficio, p.termine, p.silenzio_assenso, p.dati_sufficienti,
        p.pratiche_concluse, p.quota_entro_termine_pct, p.durata_media_netta_gg,
      ]);
      return reply
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*')
        .header('content-disposition', `inline; filename="tempi-procedimentali-${data.anno}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(formatCsv(header, rows, OPEN_DATA_CSV));
    });
  };
}
