import type { ColumnType, Generated, Selectable } from 'kysely';
import type { EventType } from '../../domain/case/states.ts';
import type { MessageKind } from '../../domain/notification/messages.ts';
import type { StaffMessageKind } from '../../domain/notification/staff.ts';
import type { Channel } from '../../domain/case/contacts.ts';
import type { AdhesionRequestStatus } from '../../domain/adhesion-request.ts';
import type { NotificationStatus } from '../../domain/notification/status.ts';
import type { SuspensionKind } from '../../domain/deadline/index.ts';

/** Kysely's view of the tables created by migrations/*.sql. */
/** migration 0007: open cases counted by office, state and deadline, kept by a trigger on cases */
export interface OpenCaseCountTable {
  office_id: string;
  state: string;
  deadline: CalendarDate | null;
  cases: number;
}

/** migration 0005: each suspension of a case with its legal effect, as the deadline engine derives it (reports/figures.ts) */
export interface CaseSuspensionTable {
  case_id: string;
  position: number;
  office_id: string;
  procedure_id: string;
  kind: SuspensionKind;
  from_on: CalendarDate;
  to_on: CalendarDate | null;
  legal_end: CalendarDate | null;
  days: number | null;
  capped_by_law: boolean;
  no_effect: 'after-deadline' | 'before-interruption' | null;
}

/** migration 0009: the time reports' counters, kept by triggers (docs/reports.md; `pratica report-counts`) */
export interface CaseReportCountTable {
  measure: string;
  on_day: CalendarDate | null;
  office_id: string;
  procedure_id: string;
  days: number;
  cases: number;
}

export interface SuspensionReportCountTable {
  kind: SuspensionKind;
  from_on: CalendarDate;
  office_id: string;
  procedure_id: string;
  suspensions: number;
  days: number;
}

export interface OpenCaseCountShardTable extends OpenCaseCountTable {
  shard: number;
}

export interface CaseReportCountShardTable extends CaseReportCountTable {
  shard: number;
}

export interface SuspensionReportCountShardTable extends SuspensionReportCountTable {
  shard: number;
}

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
  // 0003_portal
  portal_throttle: PortalThrottleTable;
  portal_used_links: PortalUsedLinkTable;
  questionnaire_markers: QuestionnaireMarkerTable;
  questionnaire_answers: QuestionnaireAnswerTable;
  // 0013_questionnaire_held_answers
  questionnaire_held_answers: QuestionnaireHeldAnswerTable;
  // 0020_service_ratings
  service_ratings_held: ServiceRatingHeldTable;
  service_ratings: ServiceRatingTable;
  staff_sessions: StaffSessionTable;
  case_credentials: CaseCredentialsTable;
  notifications: NotificationTable;
  notification_receipts: NotificationReceiptTable;
  notification_templates: NotificationTemplateTable;
  outbox_messages: OutboxMessageTable;
  // 0005_report_figures
  case_suspensions: CaseSuspensionTable;
  // 0007_dashboard_figures, 0009_report_counts: since 0025_counter_shards, views summing the shards below
  open_case_counts: OpenCaseCountTable;
  case_report_counts: CaseReportCountTable;
  suspension_report_counts: SuspensionReportCountTable;
  // 0025_counter_shards: what the triggers write, each writer into the shard it holds
  open_case_count_shards: OpenCaseCountShardTable;
  case_report_count_shards: CaseReportCountShardTable;
  suspension_report_count_shards: SuspensionReportCountShardTable;
  // 0021_search_and_form_tokens
  used_form_tokens: UsedFormTokenTable;
  // 0023_remedies
  silence_attestations: SilenceAttestationTable;
  // 0026_indemnity_payments
  indemnity_payments: IndemnityPaymentTable;
  // 0027_adhesion_requests
  adhesion_requests: AdhesionRequestTable;
}

export interface AdhesionRequestTable {
  id: string;
  procedure_id: string;
  office_id: string;
  applicant_name: string;
  protocol_number: string;
  protocol_date: CalendarDate;
  fiscal_code: string | null;
  mobile: string | null;
  email: string | null;
  notify_sms: boolean;
  notify_email: boolean;
  notify_io: boolean;
  consent_at: Timestamp;
  created_at: CreatedAt;
  status: ColumnType<AdhesionRequestStatus, AdhesionRequestStatus | undefined, AdhesionRequestStatus>;
  case_id: string | null;
  dismiss_reason: string | null;
  handled_by: string | null;
  handled_at: Timestamp | null;
  contacts_erased_at: Timestamp | null;
}

export interface IndemnityPaymentTable {
  id: string;
  case_id: string;
  amount_cents: number;
  paid_on: CalendarDate;
  recorded_by: string;
  recorded_at: CreatedAt;
}

export interface SilenceAttestationTable {
  id: string;
  case_id: string;
  deadline: CalendarDate;
  accepted_from: CalendarDate;
  issued_at: CreatedAt;
}

export interface UsedFormTokenTable {
  token_hash: string;
  result: string;
  used_at: CreatedAt;
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
  // 0015_administration_setup
  ipa_code: string | null;
  fiscal_code: string | null;
  address: string | null;
  privacy_notice_url: string | null;
  accessibility_statement_url: string | null;
  legal_notes_url: string | null;
  start_communication_basis: string | null;
  substitute_power: ColumnType<SubstitutePowerJson | null, string | null, string | null>;
  logo: Uint8Array | null;
  logo_type: 'image/png' | 'image/svg+xml' | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SubstitutePowerJson { holder: string | null; office: string | null; email: string | null; pec: string | null; phone: string | null }

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
  /** migration 0004: sign-in lockout */
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  /** migration 0010: a password someone else chose, to be replaced before anything else */
  must_change_password: Generated<boolean>;
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
  /** migration 0023: the procedure concerns the start or exercise of a business activity (art. 2-bis c.1-bis L. 241/1990) */
  business_activity: Generated<boolean>;
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
  /** migration 0024: App IO, reached by the applicant's fiscal code */
  notify_io: Generated<boolean>;
  state: 'enrolled' | 'in-progress' | 'suspended' | 'resumed' | 'closed';
  deadline: CalendarDate | null;
  deadline_provisional: Generated<boolean>;
  outcome: string | null;
  closed_on: CalendarDate | null;
  password_hash: string;
  opted_out_at: Timestamp | null;
  /** migration 0004: the office has acknowledged the opt-out (the citizen leaves the service: docs/domain.md) */
  opt_out_acknowledged_at: Timestamp | null;
  opt_out_acknowledged_by: string | null;
  /** migration 0007: the suspension the case is in (kind, first day), kept by a trigger on case_events */
  open_suspension_kind: Generated<string | null>;
  open_suspension_since: Generated<CalendarDate | null>;
  /** migration 0012: the card's term as it was at enrolment, which binds the case ever after */
  term_text: string;
  term_amount: number;
  term_unit: 'calendar-days' | 'working-days' | 'months';
  saturday_working: boolean;
  saturday_moves_deadline: boolean;
  silenzio_assenso: boolean;
  /** migration 0023: the card's business-activity flag at enrolment (the art. 28 D.L. 69/2013 indemnity) */
  business_activity: Generated<boolean>;
  version: Generated<number>;
  /** migration 0010: part of the citizen sessions' fingerprint; a sign-out adds one */
  session_generation: Generated<number>;
  /** migration 0022: the applicant's identifiers (src/domain/case/fiscal-code.ts), optional */
  applicant_fiscal_code: Generated<string | null>;
  applicant_vat_number: Generated<string | null>;
  legal_representative_fiscal_code: Generated<string | null>;
  demo: Generated<boolean>;
  /** migration 0005: the days the clock was stopped, and when the figures were derived (null: not yet) */
  suspended_days: Generated<number | null>;
  figures_at: Generated<Date | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  type: EventType;
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
  /** migration 0017: written at most once a minute */
  last_used_at: Timestamp | null;
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
  /** sha256 of the file as applied (migrate.ts); NULL until the first start that keeps checksums */
  checksum: string | null;
}

export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type ProcedureRow = Selectable<ProcedureTable>;
export type OfficeRow = Selectable<OfficeTable>;

// --- Notifications (migration 0002) ---

/** the domain's list (CHECK in migrations 0002, 0010 and 0016) */
export type NotificationKind = MessageKind;
export type NotificationChannel = Channel;
export type { NotificationStatus };

export interface CaseCredentialsTable {
  case_id: string;
  sealed: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationTable {
  id: string;
  position: Generated<number>;
  /** migration 0010: a message is for a case or (the lock notice, the reset link) for a staff member */
  case_id: string | null;
  staff_id: string | null;
  event_seq: number | null;
  kind: NotificationKind | StaffMessageKind;
  channel: NotificationChannel;
  recipient: string;
  status: Generated<NotificationStatus>;
  context: ColumnType<Record<string, unknown>, string, string>;
  subject: string | null;
  body: string | null;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_until: Timestamp | null;
  claimed_by: string | null;
  provider: string | null;
  provider_id: string | null;
  provider_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** the SMPP system id the message went through (migration 0019): receipts are matched on it */
  provider_account: string | null;
  last_error: string | null;
  fallback_of: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  /** App IO reports the message read (migration 0024) */
  read_at: Timestamp | null;
  /** when IO's status of the message was last read back */
  status_checked_at: Timestamp | null;
  failed_at: Timestamp | null;
  /** claims taken back from a process that died (migration 0014) */
  crashes: Generated<number>;
}

export interface NotificationReceiptTable {
  id: Generated<number>;
  notification_id: string | null;
  provider: string;
  provider_id: string;
  /** migration 0019: the SMPP system id and the destination the receipt names, when the provider gives them */
  account: string | null;
  destination: string | null;
  status: 'delivered' | 'failed';
  detail: Generated<string>;
  received_at: CreatedAt;
}

export interface NotificationTemplateTable {
  kind: NotificationKind;
  channel: NotificationChannel;
  subject: Generated<string>;
  body: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface OutboxMessageTable {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  encoding: string | null;
  segments: number | null;
  created_at: CreatedAt;
}

export type NotificationRow = Selectable<NotificationTable>;
/** A message about a case: every kind but the staff's own (CHECK in migrations 0010 and 0017). */
export type CaseNotificationRow = NotificationRow & { case_id: string; kind: NotificationKind };

// --- Back office (migration 0004) ---

export interface StaffSessionTable {
  id_hash: string;
  staff_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

// 0003_portal: the citizen portal

export interface PortalThrottleTable {
  key: string;
  failures: Generated<number>;
  /** migration 0010: when the key's bucket is full again */
  full_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface PortalUsedLinkTable {
  nonce: string;
  expires_at: Timestamp;
}

export interface QuestionnaireMarkerTable {
  marker: string;
}

export interface QuestionnaireAnswerTable {
  id: string;
  /** first day of the month: the only time kept */
  month: CalendarDate;
  office_id: string | null;
  /** 0008: the case's procedure; NULL for answers given before it */
  procedure_id: string | null;
  clarity: number;
  timeliness: number;
  courtesy: number;
  overall: number;
  comment: Generated<string>;
}

/** 0020: "how easy was it to use this service?", 1 to 5, published by month like the questionnaire's answers */
export interface ServiceRatingTable {
  id: string;
  month: string;
  rating: number;
}

export interface ServiceRatingHeldTable extends Omit<ServiceRatingTable, 'id'> {
  shuffled: Generated<boolean>;
}

/** 0013: an answer until the worker's job moves it, shuffled, into questionnaire_answers once its month has ended */
export interface QuestionnaireHeldAnswerTable extends Omit<QuestionnaireAnswerTable, 'id'> {
  /** false until the job has rewritten the row apart from its marker's transaction */
  shuffled: Generated<boolean>;
}
