import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely's view of the tables created by migrations/*.sql. */
export interface Database {
  administrations: AdministrationTable;
  offices: OfficeTable;
  staff: StaffTable;
  procedures: ProcedureTable;
  local_days: LocalDayTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  api_tokens: ApiTokenTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationTable;
}

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** 'YYYY-MM-DD' both ways (see the DATE type parser in database.ts) */
type CalendarDate = string;

export interface AdministrationTable {
  id: string;
  code: string;
  name: string;
  pec: string | null;
  website: string | null;
  support_email: string | null;
  demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface OfficeTable {
  id: string;
  administration_id: string;
  code: string;
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
  pec: string | null;
  opening_hours: string | null;
  demo: Generated<boolean>;
  created_at: CreatedAt;
}

export type StaffRole = 'admin' | 'office-manager' | 'case-officer';

export interface StaffTable {
  id: string;
  office_id: string | null;
  name: string;
  role: StaffRole;
  email: string;
  phone: string | null;
  password_hash: string | null;
  active: Generated<boolean>;
  demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ProcedureTable {
  id: string;
  code: string;
  office_id: string;
  responsible_staff_id: string;
  name: string;
  description: Generated<string>;
  legal_basis: Generated<string>;
  term_text: string;
  term_amount: number | null;
  term_unit: 'calendar-days' | 'working-days' | 'months' | null;
  saturday_working: Generated<boolean>;
  saturday_moves_deadline: Generated<boolean>;
  silenzio_assenso: Generated<boolean>;
  substitute_name: Generated<string>;
  substitute_contact: Generated<string>;
  active: Generated<boolean>;
  demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface LocalDayTable {
  id: string;
  month: number;
  day: number;
  name: string;
}

export interface CaseTable {
  id: string;
  code: string;
  procedure_id: string;
  office_id: string;
  subject: string;
  applicant_name: string;
  received_on: CalendarDate;
  protocol_number: Generated<string>;
  mobile: string | null;
  email: string | null;
  notify_sms: Generated<boolean>;
  notify_email: Generated<boolean>;
  state: 'enrolled' | 'in-progress' | 'suspended' | 'resumed' | 'closed';
  deadline: CalendarDate | null;
  deadline_provisional: Generated<boolean>;
  outcome: string | null;
  closed_on: CalendarDate | null;
  password_hash: string;
  opted_out_at: Timestamp | null;
  version: Generated<number>;
  demo: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  type: 'start' | 'suspend' | 'resume' | 'observations' | 'close';
  effective_on: CalendarDate;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
  recorded_by: string;
  reason: Generated<string>;
  notes: Generated<string>;
  suspension_kind: 'art2c7' | 'art10bis' | 'other' | 'interruption' | null;
  legal_basis: string | null;
  outcome: 'accepted' | 'rejected' | 'withdrawn' | 'other' | null;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  office_id: string | null;
  token_hash: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface IdempotencyKeyTable {
  token_id: string;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  office_id: string | null;
  before: unknown;
  after: unknown;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: CreatedAt;
}

export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type ProcedureRow = Selectable<ProcedureTable>;
export type OfficeRow = Selectable<OfficeTable>;
export type StaffRow = Selectable<StaffTable>;
export type NewCaseEvent = Insertable<CaseEventTable>;
