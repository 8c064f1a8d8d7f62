-- The applicant's identifiers, optional: a person's codice fiscale (what SPID and CIE release, so the key of
-- "Le mie pratiche"), a firm's partita IVA and its legal representative's codice fiscale. Validated by the domain.
ALTER TABLE cases ADD COLUMN applicant_fiscal_code text;
ALTER TABLE cases ADD COLUMN applicant_vat_number text;
ALTER TABLE cases ADD COLUMN legal_representative_fiscal_code text;

-- A citizen signed in with SPID or CIE sees every case with their code, in every office.
CREATE INDEX cases_applicant_fiscal_code ON cases (applicant_fiscal_code) WHERE applicant_fiscal_code IS NOT NULL;
