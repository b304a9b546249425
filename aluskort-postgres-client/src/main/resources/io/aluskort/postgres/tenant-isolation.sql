-- Tenant isolation by PostgreSQL row-level security, for PostgresClient.forTenant(tenantId).
--
-- Each tenant-scoped transaction runs  SELECT set_config('aluskort.tenant_id', <tenant>, true)  first
-- (aluskort.postgres.tenant.setting names the setting). The policies below show and accept only the
-- rows of that tenant. Without a tenant the setting reads as NULL, or as '' on a connection where a
-- transaction once set it: NULLIF turns both into NULL, and "tenant_id = NULL" matches no row. So an
-- unscoped query sees nothing and cannot write anything, rather than everything.
--
-- Run as the owner of the tables (the role migrations run as). Replace 'alerts' with each tenant table
-- and 'aluskort_app' with the role the service connects as. Statements are idempotent where PostgreSQL
-- allows it, so the file can be re-run after adding a table.

-- 1. The application's role: it logs in, owns nothing, and row-level security binds it (a superuser or
--    BYPASSRLS role passes every policy; an owner could switch them off). Created by whoever manages
--    roles, with the password kept out of migrations:
--
--    CREATE ROLE aluskort_app LOGIN PASSWORD '...' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
--
--    aluskort.postgres.tenant.verify-role=true makes the service refuse to start when this is not so.

-- 2. Row-level security on each tenant table. FORCE makes it bind the owner too (migrations that
--    move rows then need a tenant as well, or a role with BYPASSRLS).
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;

-- 3. One policy for reads and writes: USING filters the rows a statement sees (SELECT, UPDATE, DELETE);
--    WITH CHECK refuses, with SQLState 42501, a row written for another tenant (an INSERT, an UPDATE
--    that moves a row, a COPY FROM). current_setting(..., true) is stable within a statement, so it is
--    read once and a table partitioned by tenant_id is pruned to the tenant's partitions.
DROP POLICY IF EXISTS tenant_isolation ON alerts;
CREATE POLICY tenant_isolation ON alerts
    USING (tenant_id = NULLIF(current_setting('aluskort.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('aluskort.tenant_id', true), ''));

-- 4. What the application may do. Grant on the table itself only: on a partitioned table, the
--    partitions get no grant, so they cannot be read directly, around the parent's policy (policies
--    of a partitioned table apply to statements on the parent, not on its partitions). Identity
--    columns need no grant on their sequence; serial columns do (GRANT USAGE ON SEQUENCE).
GRANT USAGE ON SCHEMA public TO aluskort_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON alerts TO aluskort_app;

-- What this does not cover: a view is read with its owner's rights, so a view over a tenant table
-- needs WITH (security_invoker = true) (PostgreSQL 15+) for the policy to bind the caller; a
-- SECURITY DEFINER function runs as its owner, likewise. Rows reached through foreign keys (ON DELETE
-- CASCADE, the checks themselves) are not filtered: keep references within a tenant.
