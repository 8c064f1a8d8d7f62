-- The administration is set up by `pratica setup` or the back office, not only by the demo data:
-- what the pages, the e-mails and the footer say about it comes from here.
ALTER TABLE administrations ADD COLUMN ipa_code text;
ALTER TABLE administrations ADD COLUMN fiscal_code text CHECK (fiscal_code ~ '^[0-9]{11}$');
ALTER TABLE administrations ADD COLUMN address text;
ALTER TABLE administrations ADD COLUMN privacy_notice_url text;
ALTER TABLE administrations ADD COLUMN accessibility_statement_url text;
ALTER TABLE administrations ADD COLUMN legal_notes_url text;
-- the local rule by which the start message stands for the formal communication (art. 8 L. 241/1990)
ALTER TABLE administrations ADD COLUMN start_communication_basis text;
-- art. 2 c.9-bis L. 241/1990: holder, office, email, pec, phone
ALTER TABLE administrations ADD COLUMN substitute_power jsonb;
ALTER TABLE administrations ADD COLUMN logo bytea;
ALTER TABLE administrations ADD COLUMN logo_type text CHECK (logo_type IN ('image/png', 'image/svg+xml'));
ALTER TABLE administrations ADD CONSTRAINT administrations_logo_typed CHECK ((logo IS NULL) = (logo_type IS NULL));
ALTER TABLE administrations ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
