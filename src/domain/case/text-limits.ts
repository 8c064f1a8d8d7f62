/**
 * The longest text each field of a case and its events may hold, in characters: the use cases refuse what
 * is longer, the API's schemas and the forms' maxlength say the same.
 */
export const TEXT_LIMITS = { subject: 500, applicantName: 200, protocolNumber: 60, reason: 2000, notes: 4000, legalBasis: 500 } as const;
