"""`lamina format` on a schema with several problems reports what Prisma 7.10.1's `format` does:
it lays the schema out without completing relations (the schema has errors before the last
validation pass, or does not parse), validates the laid-out text with every pass, and writes
nothing. Expected texts recorded from the real CLI (`anchors/prisma/prisma.sh ... format`),
colours stripped; their line numbers are the laid-out text's."""

from __future__ import annotations

import pytest

from lamina.psl.format.files import _format_valid
from lamina.psl.load import SchemaValidationError

# `posts Post[]` has no back relation (format would add one to a valid schema); an unknown
# type and a bad default in another model.
NOT_COMPLETED = 'datasource db {\n  provider = "postgresql"\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  title Strng\n  views Int @default("many")\n}\n'
NOT_COMPLETED_ERRORS = 'error: Type "Strng" is neither a built-in type, nor refers to another model, composite type, or enum.\n  -->  prisma/schema.prisma:12\n   | \n11 |   id    Int   @id\n12 |   title Strng\n   | \nerror: Error parsing attribute "@default": Expected a Int value, but found `"many"`.\n  -->  prisma/schema.prisma:13\n   | \n12 |   title Strng\n13 |   views Int   @default("many")\n   | \n'

# A line that does not parse, and an attribute error elsewhere: both reported.
PARSE_AND_ATTRIBUTE = 'datasource db {\n  provider = "postgresql"\n}\nmodel User {\n  id Int @id\n  posts Post[]\n  name String @default(1)\n}\nmodel Post {\n  id Int @id\n  oops\n}\n'
PARSE_AND_ATTRIBUTE_ERRORS = 'error: Error validating model "Post": This field declaration is invalid. It is either missing a name or a type.\n  -->  prisma/schema.prisma:13\n   | \n12 |   id   Int @id\n13 |   oops\n14 | }\n   | \nerror: Error parsing attribute "@default": Expected a String value, but found `1`.\n  -->  prisma/schema.prisma:8\n   | \n 7 |   posts Post[]\n 8 |   name  String @default(1)\n   | \n'


# The last model's `}` is missing: its lines do not parse, and the empty line between two of them
# stays in the laid-out text (line 13), as the line numbers of Prisma's diagnostics show.
UNCLOSED_LAST_MODEL = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel B {\n  id Int @id\n  n String @default(1)\n}\n\nmodel A {\n  id Int @id\n  x String\n\n  @@map("as")\n'
UNCLOSED_LAST_MODEL_ERRORS = 'error: Error validating: This line is invalid. It does not start with any known Prisma schema keyword.\n  -->  prisma/schema.prisma:10\n   | \n 9 | \n10 | model A {\n11 | id Int @id\n   | \nerror: Error validating: This line is invalid. It does not start with any known Prisma schema keyword.\n  -->  prisma/schema.prisma:11\n   | \n10 | model A {\n11 | id Int @id\n12 | x String\n   | \nerror: Error validating: This line is invalid. It does not start with any known Prisma schema keyword.\n  -->  prisma/schema.prisma:12\n   | \n11 | id Int @id\n12 | x String\n13 | \n   | \nerror: Error validating: This line is invalid. It does not start with any known Prisma schema keyword.\n  -->  prisma/schema.prisma:14\n   | \n13 | \n14 | @@map("as")\n15 | \n   | \nerror: Error parsing attribute "@default": Expected a String value, but found `1`.\n  -->  prisma/schema.prisma:7\n   | \n 6 |   id Int    @id\n 7 |   n  String @default(1)\n   | \n'


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (NOT_COMPLETED, NOT_COMPLETED_ERRORS),
        (PARSE_AND_ATTRIBUTE, PARSE_AND_ATTRIBUTE_ERRORS),
        (UNCLOSED_LAST_MODEL, UNCLOSED_LAST_MODEL_ERRORS),
    ],
    ids=["no_completion_with_type_error", "parse_error_then_every_pass", "unclosed_last_model"],
)
def test_format_reports_every_error_of_the_laid_out_text(schema, expected):
    with pytest.raises(SchemaValidationError) as raised:
        _format_valid([("prisma/schema.prisma", schema)], False)
    assert expected in raised.value.message
    assert raised.value.message.count("error: ") == expected.count("error: ")
