CREATE TABLE "worker_heartbeats" (
	"task_queue" text NOT NULL,
	"identity" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_heartbeats_task_queue_identity_pk" PRIMARY KEY("task_queue","identity")
);
