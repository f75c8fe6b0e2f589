-- The report catalogue. Provider and category are the two dimensions every
-- performance view groups by, so each has its own index; owner_id is kept when
-- a user is deleted only as NULL (ON DELETE SET NULL), never as a dangling id.
CREATE TABLE reports (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL,
  description TEXT NULL,
  category ENUM('infrastructure', 'security', 'compliance', 'cost', 'performance', 'custom') NOT NULL,
  provider ENUM('aws', 'azure', 'gcp', 'oci', 'multi') NOT NULL,
  owner_id BIGINT UNSIGNED NULL,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  parameters JSON NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_reports_provider (provider),
  KEY ix_reports_category (category),
  KEY ix_reports_owner (owner_id),
  KEY ix_reports_active_created (is_active, created_at),
  CONSTRAINT fk_reports_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
