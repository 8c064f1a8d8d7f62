-- Satisfaction results per procedure as well as per office (issue 6): the answer records the case's procedure.
-- It stays anonymous as in 0003: random id, the month only, no reference to the case or to its marker. The pages
-- show only groups of at least 5 answers, per procedure too (src/application/reports/satisfaction.ts).
-- Nullable, no default: answers given before this migration have no procedure (they count in their office and in
-- the total only), and adding the column does not rewrite the table.
ALTER TABLE questionnaire_answers ADD COLUMN procedure_id uuid REFERENCES procedures(id);

-- The index stays (month, office_id): the report reads a range of months for one office or all of them and groups
-- what it finds. Procedures are never deleted (cases refer to them), so the foreign key needs no index of its own.
