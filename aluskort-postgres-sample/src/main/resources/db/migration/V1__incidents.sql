CREATE TABLE incidents (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text        NOT NULL CHECK (length(tenant_id) BETWEEN 1 AND 64),
    title       text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    severity    integer     NOT NULL CHECK (severity BETWEEN 1 AND 5),
    status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    resolution  text,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

CREATE INDEX incidents_tenant_status ON incidents (tenant_id, status, id DESC);

CREATE TABLE incident_audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint      NOT NULL REFERENCES incidents (id),
    tenant_id   text        NOT NULL,
    action      text        NOT NULL,
    actor       text        NOT NULL CHECK (length(trim(actor)) > 0),
    detail      text,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX incident_audit_incident ON incident_audit (incident_id);
