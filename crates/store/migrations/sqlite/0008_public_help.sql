-- The public directory of help (issue 12): an organisation may be listed on
-- the public pages, with what it offers people. Contacts are its own phone,
-- e-mail and address.
ALTER TABLE organisations ADD COLUMN public_listing BIGINT NOT NULL DEFAULT 0 CHECK (public_listing IN (0, 1));
ALTER TABLE organisations ADD COLUMN public_offer TEXT;
CREATE INDEX organisations_public ON organisations (territory_path, name_key) WHERE public_listing = 1;
