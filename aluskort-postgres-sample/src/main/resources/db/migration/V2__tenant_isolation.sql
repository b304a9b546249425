-- Tenant isolation by row-level security: the starter's io/aluskort/postgres/tenant-isolation.sql,
-- applied to this schema. Migrations run as the owner of the tables (spring.flyway.user); the service
-- connects as incidents_app, a role that owns nothing, is no superuser and has no BYPASSRLS, so these
-- policies bind it. Whoever manages roles creates incidents_app, with its password kept out of here:
--
--     CREATE ROLE incidents_app LOGIN PASSWORD '...';
--
-- IncidentService runs every statement through PostgresClient.forTenant(tenant), which binds
-- aluskort.tenant_id for its transaction. Without it a statement sees no incident and can write none.

ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incidents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON incidents
    USING (tenant_id = NULLIF(current_setting('aluskort.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('aluskort.tenant_id', true), ''));

ALTER TABLE incident_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON incident_audit
    USING (tenant_id = NULLIF(current_setting('aluskort.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('aluskort.tenant_id', true), ''));

-- Incidents are opened and closed, never deleted; audit rows are only ever added.
GRANT USAGE ON SCHEMA public TO incidents_app;
GRANT SELECT, INSERT, UPDATE ON incidents TO incidents_app;
GRANT SELECT, INSERT ON incident_audit TO incidents_app;
