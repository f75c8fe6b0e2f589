-- Undo 0002.
DROP TABLE reports;
