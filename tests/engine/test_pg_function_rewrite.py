"""The rewrite of a PostgreSQL function body for renamed tables and columns: what it rewrites,
and what it leaves as written and reports (the whole `migrate dev` path is
tests/workflow/test_wf_pg_rename_functions.py)."""

from __future__ import annotations

from lamina.dialects.postgres.function_rewrite import Renames, rewrite

NAME = Renames({}, {("User", "name"): "fullName"})
PERSON = Renames({"User": "Person"}, {})


def test_strings_comments_and_dollar_quotes_are_not_rewritten_but_a_string_naming_the_table_is_reported():
    body = """BEGIN
  -- name: "User".name
  RAISE NOTICE 'name %', NEW.name;
  EXECUTE $q$UPDATE "User" SET name = 1$q$;
  RETURN NEW;
END"""
    out = rewrite(body, NAME, (), ["User"])
    assert out.body == body.replace("NEW.name", 'NEW."fullName"')
    assert out.unsure == ("`$q$UPDATE \"User\" SET name = 1$q$` in `.name; EXECUTE $q$UPDATE \"User\" SET name = 1$q$; "
                          "RETURN NEW;` (a string names `User`: dynamic SQL is not rewritten)",)


def test_new_of_a_trigger_function_on_two_tables_is_reported():
    out = rewrite("BEGIN NEW.name := 'x'; RETURN NEW; END", NAME, (), ["Audit", "User"])
    assert out.body == "BEGIN NEW.name := 'x'; RETURN NEW; END"
    assert out.unsure == ("`name` in `BEGIN NEW.name := 'x'; RETURN` (Lamina cannot tell which table's column it is)",)


def test_new_of_a_trigger_function_on_another_table_is_left_silently():
    assert rewrite("BEGIN NEW.name := 'x'; RETURN NEW; END", NAME, (), ["Audit"]).unsure == ()


def test_a_variable_or_parameter_of_the_column_s_name_is_reported():
    """`SET "name" = name`: the column, then the variable (PostgreSQL reads a SET target as a
    column); Lamina does not read that far, and says so."""
    body = """DECLARE
  name text := 'a';
BEGIN
  UPDATE "User" SET "name" = name WHERE "id" = id;
END"""
    out = rewrite(body, NAME, ["id"])
    assert out.body == body
    assert [place.split(" (")[-1] for place in out.unsure] == ["the function declares `name` too)"] * 3


def test_a_row_type_variable_and_the_table_s_name_qualify_the_column():
    body = """DECLARE
  r "User"%ROWTYPE;
BEGIN
  SELECT * INTO r FROM "User" LIMIT 1;
  RETURN r.name || public."User".name;
END"""
    out = rewrite(body, NAME)
    assert out.body == body.replace("r.name", 'r."fullName"').replace('"User".name', '"User"."fullName"')
    assert out.unsure == ()


def test_a_renamed_table_where_the_function_has_a_variable_of_its_name_is_reported():
    body = 'DECLARE "User" int; BEGIN SELECT count(*) INTO "User" FROM public."User"; RETURN "User"; END'
    out = rewrite(body, PERSON)
    assert out.body == body.replace('public."User"', 'public."Person"')
    assert [place.split(" (")[-1] for place in out.unsure] == ["Lamina cannot tell it is the table)"] * 3


def test_a_column_of_a_table_not_named_is_left_silently():
    body = 'SELECT name FROM "Audit" a WHERE a.name = $1'
    assert rewrite(body, NAME) == rewrite(body, Renames({}, {}))
