-- The entity's table comes from this migration only: Hibernate validates it (ddl-auto=validate).
CREATE TYPE note_kind AS ENUM ('COMMENT', 'ESCALATION');

CREATE TABLE incident (
    id bigserial PRIMARY KEY,
    title text NOT NULL UNIQUE,
    severity varchar(16) NOT NULL
);

-- Written by PostgresClient; the foreign key makes a note of an incident the note's transaction cannot see fail.
CREATE TABLE incident_note (
    id bigserial PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incident (id),
    body text,
    kind note_kind NOT NULL,
    details jsonb
);
