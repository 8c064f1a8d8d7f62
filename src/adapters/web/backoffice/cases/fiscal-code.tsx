/** The page that changes a case's fiscal code, VAT number and legal representative's fiscal code. */
import type { FieldProblem } from '../../../../domain/errors.ts';
import { ErrorSummary, Page } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import type { FiscalValues } from './forms.ts';
import { CaseEditForm, FiscalFields } from './shared.tsx';

export interface FiscalCodeModel {
  case: { code: string; applicant_name: string };
  values: FiscalValues & { version: string };
  errors: readonly FieldProblem[];
}

export function fiscalCodePage(ctx: PageContext, model: FiscalCodeModel): JSX.Element {
  const { case: c, values: v, errors } = model;
  const t = ctx.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.text;
  return (
    <Page ctx={ctx} title={`${t.editFiscal} ${c.code}`} section="cases">
      <h1 safe>{`${t.editFiscal} — ${c.code}`}</h1>
      <p safe>{`${t.applicant}: ${c.applicant_name}`}</p>
      <ErrorSummary errors={errors} t={t} />
      <CaseEditForm ctx={ctx} code={c.code} action="codice-fiscale" version={v.version}>
        <FiscalFields ctx={ctx} values={v} err={err} />
      </CaseEditForm>
    </Page>
  );
}
