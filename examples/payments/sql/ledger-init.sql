-- Run once by CloudNativePG right after the ledger database is created (as the superuser, in it).
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA IF NOT EXISTS ledger AUTHORIZATION ledger;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
