-- Undo 0001: nothing else may reference users once 0002 is rolled back.
DROP TABLE users;
