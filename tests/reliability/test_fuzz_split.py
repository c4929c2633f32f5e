"""Property-based fuzz of the SQL splitter every SQL-file path uses (migrate deploy, db execute).

Any text splits without an exception on every provider, and a script assembled from known
statements -- plain ones, MySQL routines with nested blocks, DELIMITER blocks -- splits back into
exactly those statements. LAMINA_FUZZ_EXAMPLES sets the number of examples (default 200)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamina.db.split import split_statements

EXAMPLES = int(os.environ.get("LAMINA_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = ["'", '"', "`", "$$", "$a$", "--", "#", "/*", "*/", ";", "\n", "BEGIN", "END", "IF", "END IF",
             "CASE", "LOOP", "REPEAT", "WHILE", "DELIMITER $$\n", "DELIMITER ;\n", "$$", "CREATE TRIGGER",
             "CREATE PROCEDURE", "x", " ", "\\", "[", "]"]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=40),
       st.sampled_from(["sqlite", "postgresql", "mysql"]))
def test_any_text_splits_without_an_exception(parts, provider):
    pieces = split_statements("".join(parts), provider)
    assert all(isinstance(p, str) and p.strip() for p in pieces)


PLAIN = ["SELECT 1;", "INSERT INTO `T` (`s`) VALUES ('a;b');", "UPDATE `T` SET s = 'it''s; END';",
         "SELECT IF(1, 2, 3);", "DROP TABLE IF EXISTS `T`;", "SELECT 'x' -- trailing; comment\n;"]


def _block(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["SET x = 1;", "SELECT 'a;b' INTO y;", "SET y = IF(x, 1, 2);"])
    if depth == 0:
        return leaf
    inner = st.lists(_block(depth - 1), min_size=1, max_size=3).map(" ".join)
    return st.one_of(
        leaf,
        inner.map(lambda b: f"IF x THEN {b} ELSE {b} END IF;"),
        inner.map(lambda b: f"WHILE x DO {b} END WHILE;"),
        inner.map(lambda b: f"REPEAT {b} UNTIL x END REPEAT;"),
        inner.map(lambda b: f"lbl: LOOP {b} LEAVE lbl; END LOOP lbl;"),
        inner.map(lambda b: f"CASE x WHEN 1 THEN {b} ELSE {b} END CASE;"),
        inner.map(lambda b: f"BEGIN {b} END;"),
    )


ROUTINE = st.lists(_block(2), min_size=1, max_size=3).map(
    lambda body: f"CREATE PROCEDURE `p`() BEGIN DECLARE x INT; {' '.join(body)} END;")


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(PLAIN), ROUTINE), min_size=1, max_size=6), st.booleans())
def test_mysql_scripts_split_back_into_their_statements(statements, delimited):
    if delimited:  # as the mysql client is fed: the routines end with $$ instead of ;
        script = "DELIMITER $$\n" + "\n".join(s[:-1] + "$$" for s in statements) + "\nDELIMITER ;\n"
        expected = [s[:-1].strip() for s in statements]
    else:
        script = "\n".join(statements)
        expected = [s.strip() for s in statements]
    assert split_statements(script, "mysql") == expected
