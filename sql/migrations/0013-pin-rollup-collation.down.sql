-- Nothing to undo: the pinned collation is the one the other tables use, and the
-- database's own default is not recorded anywhere to go back to.
DO 0;
