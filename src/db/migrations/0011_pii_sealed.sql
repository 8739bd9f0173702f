CREATE TABLE "sealing_keys" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"fingerprint" char(16) NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"legacy_sealed_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "members_id_number_uq";--> statement-breakpoint
DROP INDEX "members_id_number_idx";--> statement-breakpoint
DROP INDEX "department_records_id_number_idx";--> statement-breakpoint
DROP INDEX "cadres_id_number_uq";--> statement-breakpoint
DROP INDEX "cadres_id_number_idx";--> statement-breakpoint
ALTER TABLE "members" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "department_records" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cadres" ALTER COLUMN "id_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "phone_masked" varchar(20);--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "id_hash" char(64);--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "id_enc" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "id_masked" varchar(18);--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "phone_masked" varchar(20);--> statement-breakpoint
ALTER TABLE "department_records" ADD COLUMN "id_hash" char(64);--> statement-breakpoint
ALTER TABLE "department_records" ADD COLUMN "id_enc" text;--> statement-breakpoint
ALTER TABLE "department_records" ADD COLUMN "id_masked" varchar(18);--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "id_hash" char(64);--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "id_enc" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "id_masked" varchar(18);--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "phone_masked" varchar(20);--> statement-breakpoint
CREATE UNIQUE INDEX "members_id_hash_uq" ON "members" USING btree ("county_code","id_hash");--> statement-breakpoint
CREATE INDEX "members_id_hash_idx" ON "members" USING btree ("id_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_uq" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "department_records_id_hash_idx" ON "department_records" USING btree ("id_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "cadres_id_hash_uq" ON "cadres" USING btree ("county_code","id_hash");--> statement-breakpoint
CREATE INDEX "cadres_id_hash_idx" ON "cadres" USING btree ("id_hash");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_id_sealed" CHECK (id_hash IS NOT NULL AND id_enc IS NOT NULL AND id_masked IS NOT NULL OR id_number IS NOT NULL);--> statement-breakpoint
ALTER TABLE "department_records" ADD CONSTRAINT "department_records_id_sealed" CHECK (id_hash IS NOT NULL AND id_enc IS NOT NULL AND id_masked IS NOT NULL OR id_number IS NOT NULL);--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_id_sealed" CHECK (id_hash IS NOT NULL AND id_enc IS NOT NULL AND id_masked IS NOT NULL OR id_number IS NOT NULL);