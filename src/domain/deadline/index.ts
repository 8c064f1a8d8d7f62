/** The deadline domain: dates, holiday calendar, term parsing, deadline computation and its Italian explanation. */
export {
  type IsoDate,
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  formatItalianDate,
  fromDayNumber,
  isIsoDate,
  isoDateProblem,
  italianWeekday,
  parseIsoDate,
  toDayNumber,
  weekday,
} from './dates.ts';
export {
  type HolidayCalendar,
  type LocalDay,
  type NationalHolidayRule,
  NATIONAL_HOLIDAYS,
  createHolidayCalendar,
  easterSunday,
  nationalHolidaysOfYear,
} from './calendar.ts';
export {
  type Term,
  type TermUnit,
  MAX_TERM_DAYS,
  MAX_TERM_MONTHS,
  formatTerm,
  parseTerm,
  termCode,
  validateTerm,
} from './term.ts';
export {
  type ClockEvent,
  type DeadlineInput,
  type DeadlineResult,
  type DeadlineStep,
  type DeadlineWarning,
  type DeadlineWarningCode,
  type SuspensionKind,
  SUSPENSION_KINDS,
  type SuspensionPeriod,
  computeDeadline,
  isWorkingDay,
} from './deadline.ts';
