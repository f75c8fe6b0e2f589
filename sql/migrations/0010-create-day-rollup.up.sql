-- Per UTC day: the sums of all executions and how many reports and users ran any.
-- A year is 365 rows, so a daily series with distinct counts reads no more; the
-- counts cannot be summed from finer cells, which is why they are kept here.
-- Derived from the daily rollups by the triggers in sql/rollups/day-triggers.sql.
CREATE TABLE day_rollup (
  bucket_date DATE NOT NULL,
  executions BIGINT NOT NULL,
  successes BIGINT NOT NULL,
  failures BIGINT NOT NULL,
  cancelled BIGINT NOT NULL,
  duration_count BIGINT NOT NULL,
  duration_sum BIGINT NOT NULL,
  total_output_bytes DECIMAL(38, 0) NOT NULL,
  reports INT NOT NULL,
  users INT NOT NULL,
  PRIMARY KEY (bucket_date)
) ENGINE = InnoDB;

-- include: ../rollups/day-triggers.sql

INSERT INTO day_rollup
SELECT bucket_date, SUM(executions), SUM(successes), SUM(failures), SUM(cancelled),
  SUM(duration_count), SUM(duration_sum), SUM(total_output_bytes), SUM(executions > 0), 0
FROM report_daily_rollup GROUP BY bucket_date;

INSERT INTO day_rollup
SELECT * FROM (
  SELECT bucket_date, 0 AS executions, 0 AS successes, 0 AS failures, 0 AS cancelled,
    0 AS duration_count, 0 AS duration_sum, 0 AS total_output_bytes, 0 AS reports,
    SUM(executions > 0) AS users
  FROM user_daily_rollup GROUP BY bucket_date
) AS x
ON DUPLICATE KEY UPDATE users = x.users;
