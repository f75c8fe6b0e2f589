-- The rollup tables of 0005–0010 took the database's default character set and
-- collation; the base tables pin utf8mb4_unicode_ci. On a database made with a plain
-- CREATE DATABASE (MariaDB's default utf8mb4_general_ci, MySQL 8's utf8mb4_0900_ai_ci,
-- or latin1) the hourly rollup's provider and category then compared with the
-- reports' as an illegal mix of collations. Every table of the gateway now pins
-- the same one; only the hourly rollup has text columns to convert.
ALTER TABLE dimension_hourly_rollup CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
ALTER TABLE report_daily_rollup DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
ALTER TABLE user_daily_rollup DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
ALTER TABLE report_monthly_rollup DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
ALTER TABLE day_rollup DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
