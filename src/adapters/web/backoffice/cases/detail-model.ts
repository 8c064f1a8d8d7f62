/** What the case page shows, read for one member of staff: the case, its messages and audit trail, what they may do. */
import type { StaffUser } from '../../../../application/backoffice/auth.ts';
import { caseAuditTrail } from '../../../../application/backoffice/case-admin.ts';
import type { AuditLine } from '../../../../application/backoffice/case-admin.ts';
import { getCaseView } from '../../../../application/cases.ts';
import type { CaseDeps, CaseView } from '../../../../application/cases.ts';
import { listCaseNotifications } from '../../../../application/notifications.ts';
import type { NotificationView } from '../../../../application/notifications.ts';
import { ioOffered } from '../../../../domain/case/contacts.ts';
import type { EventType } from '../../../../domain/case/states.ts';
import { caseEventsFor, canWorkOnCase, scopeOf } from '../../../../domain/policy.ts';
import type { EventFormState, OptOutFormState, PaymentFormState } from './event-forms.tsx';

export interface CaseDetailModel {
  view: CaseView;
  notifications: NotificationView[];
  trail: AuditLine[];
  /** the events this member of staff may record on the case now */
  actions: EventType[];
  canWork: boolean;
  /** the case's office has App IO now */
  ioHere: boolean;
  /** a form sent back refused, shown again with its messages */
  formState?: EventFormState | OptOutFormState | undefined;
  payment?: PaymentFormState | undefined;
}

export async function loadCaseDetail(
  deps: CaseDeps,
  me: StaffUser,
  code: string,
  forms: { formState?: EventFormState | OptOutFormState | undefined; payment?: PaymentFormState | undefined } = {},
): Promise<CaseDetailModel> {
  const scope = scopeOf(me);
  const view = await getCaseView(deps, scope, code);
  const [notifications, trail] = await Promise.all([listCaseNotifications(deps.db, scope, code), caseAuditTrail(deps.db, code)]);
  return {
    view,
    notifications,
    trail,
    actions: caseEventsFor(me, { officeId: view.case.office_id, state: view.case.state }),
    canWork: canWorkOnCase(me, { officeId: view.case.office_id }),
    ioHere: ioOffered(deps.io, view.office.code),
    formState: forms.formState,
    payment: forms.payment,
  };
}
