CREATE TABLE "payment_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sender_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"recipient_email" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"description" text,
	"kind" text NOT NULL,
	"frequency" text,
	"time_zone" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"max_count" integer,
	"status" text DEFAULT 'active' NOT NULL,
	"next_index" integer DEFAULT 0 NOT NULL,
	"next_run_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_schedules_amount_range" CHECK ("payment_schedules"."amount" > 0 and "payment_schedules"."amount" <= 1000000000000),
	CONSTRAINT "payment_schedules_currency_format" CHECK ("payment_schedules"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "payment_schedules_not_to_self" CHECK ("payment_schedules"."sender_id" <> "payment_schedules"."recipient_id"),
	CONSTRAINT "payment_schedules_recurring_frequency" CHECK (("payment_schedules"."kind" = 'recurring') = ("payment_schedules"."frequency" is not null))
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "schedule_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "occurrence_index" integer;--> statement-breakpoint
CREATE INDEX "payment_schedules_sender_idx" ON "payment_schedules" USING btree ("sender_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payment_schedules_created_idx" ON "payment_schedules" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "payment_schedules_due_idx" ON "payment_schedules" USING btree ("next_run_at") WHERE "payment_schedules"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_schedule_occurrence_uq" ON "payments" USING btree ("schedule_id","occurrence_index");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_schedule_occurrence_pair" CHECK (("payments"."schedule_id" is null) = ("payments"."occurrence_index" is null));