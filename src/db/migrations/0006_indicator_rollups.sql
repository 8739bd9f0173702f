CREATE TABLE "indicator_rollups" (
	"area_code" varchar(12) NOT NULL,
	"year" smallint NOT NULL,
	"parent_code" varchar(12),
	"households" bigint DEFAULT 0 NOT NULL,
	"people" bigint DEFAULT 0 NOT NULL,
	"poor_households" bigint DEFAULT 0 NOT NULL,
	"poor_people" bigint DEFAULT 0 NOT NULL,
	"exited_households" bigint DEFAULT 0 NOT NULL,
	"exited_people" bigint DEFAULT 0 NOT NULL,
	"relapsed_households" bigint DEFAULT 0 NOT NULL,
	"relapsed_people" bigint DEFAULT 0 NOT NULL,
	"line" numeric(14, 2),
	"line_people" bigint DEFAULT 0 NOT NULL,
	"income_sum" numeric DEFAULT '0' NOT NULL,
	"wage_sum" numeric DEFAULT '0' NOT NULL,
	"production_sum" numeric DEFAULT '0' NOT NULL,
	"property_sum" numeric DEFAULT '0' NOT NULL,
	"transfer_sum" numeric DEFAULT '0' NOT NULL,
	"costs_sum" numeric DEFAULT '0' NOT NULL,
	"non_counting_sum" numeric DEFAULT '0' NOT NULL,
	"below_line_people" bigint DEFAULT 0 NOT NULL,
	"gap1_sum" numeric DEFAULT '0' NOT NULL,
	"gap2_sum" numeric DEFAULT '0' NOT NULL,
	"watts_sum" numeric DEFAULT '0' NOT NULL,
	"non_positive_poor_people" bigint DEFAULT 0 NOT NULL,
	"mpi_people" bigint DEFAULT 0 NOT NULL,
	"mpi_excluded_households" bigint DEFAULT 0 NOT NULL,
	"mpi_poor_people" bigint DEFAULT 0 NOT NULL,
	"mpi_score24_sum" bigint DEFAULT 0 NOT NULL,
	"u_food" bigint DEFAULT 0 NOT NULL,
	"c_food" bigint DEFAULT 0 NOT NULL,
	"u_clothing" bigint DEFAULT 0 NOT NULL,
	"c_clothing" bigint DEFAULT 0 NOT NULL,
	"u_education" bigint DEFAULT 0 NOT NULL,
	"c_education" bigint DEFAULT 0 NOT NULL,
	"u_medical" bigint DEFAULT 0 NOT NULL,
	"c_medical" bigint DEFAULT 0 NOT NULL,
	"u_housing" bigint DEFAULT 0 NOT NULL,
	"c_housing" bigint DEFAULT 0 NOT NULL,
	"u_water" bigint DEFAULT 0 NOT NULL,
	"c_water" bigint DEFAULT 0 NOT NULL,
	"u_income" bigint DEFAULT 0 NOT NULL,
	"c_income" bigint DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_rollups_area_code_year_pk" PRIMARY KEY("area_code","year")
);
--> statement-breakpoint
CREATE TABLE "rollup_dirty" (
	"village_code" varchar(12) PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "indicator_rollups_parent_idx" ON "indicator_rollups" USING btree ("parent_code","year");
--> statement-breakpoint
-- Statement-level triggers mark the villages whose yearly records changed; services/indicators
-- recomputes them and their parents. One statement (a COPY of a million rows included) marks
-- each village once, from its transition table. A mark that exists is updated, not skipped, so
-- the writer holds its row lock until commit: a refresh skips locked marks (SKIP LOCKED) and
-- comes back to them, instead of recomputing the village without the change and losing it.
-- Marks are taken in village order so two writers never deadlock on them.
CREATE FUNCTION rollup_mark_years_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (village_code)
    SELECT DISTINCT h.village_code FROM new_rows n JOIN households h ON h.county_code = n.county_code AND h.id = n.household_id
    ORDER BY 1 ON CONFLICT (village_code) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION rollup_mark_years_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a household deleted in the same statement is gone here: its own trigger marked its village
  INSERT INTO rollup_dirty (village_code)
    SELECT DISTINCT h.village_code FROM old_rows o JOIN households h ON h.county_code = o.county_code AND h.id = o.household_id
    ORDER BY 1 ON CONFLICT (village_code) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION rollup_mark_households_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (village_code)
    SELECT v FROM (
      SELECT o.village_code AS v FROM old_rows o JOIN new_rows n ON n.county_code = o.county_code AND n.id = o.id WHERE n.village_code <> o.village_code
      UNION
      SELECT n.village_code FROM old_rows o JOIN new_rows n ON n.county_code = o.county_code AND n.id = o.id WHERE n.village_code <> o.village_code
    ) moved
    ORDER BY 1 ON CONFLICT (village_code) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION rollup_mark_households_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_dirty (village_code) SELECT DISTINCT village_code FROM old_rows ORDER BY 1 ON CONFLICT (village_code) DO UPDATE SET marked_at = now();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION rollup_mark_policy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a changed poverty line changes FGT and MPI of every village already rolled up
  IF EXISTS (SELECT 1 FROM changed_rows WHERE key = 'poverty_line') THEN
    INSERT INTO rollup_dirty (village_code)
      SELECT DISTINCT area_code FROM indicator_rollups WHERE length(area_code) = 12 ORDER BY 1 ON CONFLICT (village_code) DO UPDATE SET marked_at = now();
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER household_years_rollup_ins AFTER INSERT ON household_years REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_years_new();
--> statement-breakpoint
CREATE TRIGGER household_years_rollup_upd AFTER UPDATE ON household_years REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_years_new();
--> statement-breakpoint
CREATE TRIGGER household_years_rollup_del AFTER DELETE ON household_years REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_years_old();
--> statement-breakpoint
CREATE TRIGGER households_rollup_upd AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_households_moved();
--> statement-breakpoint
CREATE TRIGGER households_rollup_del AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_households_deleted();
--> statement-breakpoint
CREATE TRIGGER policy_parameters_rollup_ins AFTER INSERT ON policy_parameters REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_policy();
--> statement-breakpoint
CREATE TRIGGER policy_parameters_rollup_upd AFTER UPDATE ON policy_parameters REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_policy();
--> statement-breakpoint
CREATE TRIGGER policy_parameters_rollup_del AFTER DELETE ON policy_parameters REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_policy();
--> statement-breakpoint
-- registers that existed before this migration are rolled up on the first read
INSERT INTO rollup_dirty (village_code) SELECT DISTINCT village_code FROM households ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO rollup_state (id, generation) VALUES (1, 0);
--> statement-breakpoint
-- names and rural populations are read beside the rollups: a change to them invalidates cached answers too
CREATE FUNCTION rollup_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rollup_state SET generation = generation + 1 WHERE id = 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER area_populations_rollup_bump AFTER INSERT OR UPDATE OR DELETE ON area_populations FOR EACH STATEMENT EXECUTE FUNCTION rollup_bump();
--> statement-breakpoint
CREATE TRIGGER areas_rollup_bump AFTER INSERT OR UPDATE OR DELETE ON areas FOR EACH STATEMENT EXECUTE FUNCTION rollup_bump();
