"""New relation fields, relation names and duplicate model names in `db pull` come from the
database's table and column names, not from the models and fields a previous schema renamed them
to. Every expected text is Prisma 7.10.1's `db pull --print` on the same database and previous
schema (../shared/anchors), byte for byte; before, Lamina named them after the models (`Person`,
`Task_firstEmpToPerson`), wrote two models called `customer` for tables of one name in two
PostgreSQL schemas, and ordered models by table name across schemas."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect
from lamina.migrate.diff_sources import describe_connection

DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n'

RELATIONS = """
CREATE TABLE employee (id int PRIMARY KEY, boss int REFERENCES employee(id));
CREATE TABLE "task-list" (id int PRIMARY KEY, emp1 int REFERENCES employee(id), emp2 int REFERENCES employee(id));
CREATE TABLE "_emp_tasks" ("A" int NOT NULL REFERENCES employee(id), "B" int NOT NULL REFERENCES "task-list"(id));
CREATE UNIQUE INDEX "_emp_tasks_AB_unique" ON "_emp_tasks"("A", "B");
CREATE INDEX "_emp_tasks_B_index" ON "_emp_tasks"("B");
"""

RELATIONS_PREVIOUS = DATASOURCE + '''
model Person {
  id Int @id
  @@map("employee")
}

model Task {
  id Int @id
  firstEmp Int? @map("emp1")
  @@map("task-list")
}
'''

RELATIONS_PULLED = DATASOURCE + '''
model Person {
  id                                 Int      @id
  boss                               Int?
  employee                           Person?  @relation("employeeToemployee", fields: [boss], references: [id], onDelete: NoAction, onUpdate: NoAction)
  other_employee                     Person[] @relation("employeeToemployee")
  task_list_task_list_emp1Toemployee Task[]   @relation("task_list_emp1Toemployee")
  task_list_task_list_emp2Toemployee Task[]   @relation("task_list_emp2Toemployee")
  task_list_emp_tasks                Task[]   @relation("emp_tasks")

  @@map("employee")
}

model Task {
  id                                Int      @id
  firstEmp                          Int?     @map("emp1")
  emp2                              Int?
  employee_task_list_emp1Toemployee Person?  @relation("task_list_emp1Toemployee", fields: [firstEmp], references: [id], onDelete: NoAction, onUpdate: NoAction)
  employee_task_list_emp2Toemployee Person?  @relation("task_list_emp2Toemployee", fields: [emp2], references: [id], onDelete: NoAction, onUpdate: NoAction)
  employee_emp_tasks                Person[] @relation("emp_tasks")

  @@map("task-list")
}
'''


def test_new_relations_are_named_after_tables_and_columns(pg_db):
    conn = pg_db(RELATIONS)
    result = introspect(describe_pg(conn), "postgresql", [("schema.prisma", RELATIONS_PREVIOUS)])
    assert result.text == RELATIONS_PULLED


TWO_SCHEMAS = """
CREATE SCHEMA billing;
CREATE TABLE public.customer (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.aaa (id int PRIMARY KEY);
CREATE TABLE billing.invoice (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES public.customer(id));
CREATE TABLE billing.customer (id serial PRIMARY KEY, ref text);
"""

MULTI_DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  schemas  = ["public", "billing"]\n}\n'
PULLED_DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  schemas  = ["billing", "public"]\n}\n'

FRESH = PULLED_DATASOURCE + '''
model billing_customer {
  id  Int     @id @default(autoincrement())
  ref String?

  @@map("customer")
  @@schema("billing")
}

model invoice {
  id          Int             @id @default(autoincrement())
  customer_id Int
  customer    public_customer @relation(fields: [customer_id], references: [id], onDelete: NoAction, onUpdate: NoAction)

  @@schema("billing")
}

model aaa {
  id Int @id

  @@schema("public")
}

model public_customer {
  id      Int       @id @default(autoincrement())
  name    String
  invoice invoice[]

  @@map("customer")
  @@schema("public")
}
'''

FRESH_WARNING = '''
// *** WARNING ***
// 
// These items were renamed due to their names being duplicates in the Prisma schema:
//   - Type: "model", name: "billing_customer"
//   - Type: "model", name: "public_customer"
// '''

PREVIOUS = MULTI_DATASOURCE + '''
model Client {
  id   Int    @id @default(autoincrement())
  name String

  @@map("customer")
  @@schema("public")
}
'''

RE = PULLED_DATASOURCE + '''
model Client {
  id      Int       @id @default(autoincrement())
  name    String
  invoice invoice[]

  @@map("customer")
  @@schema("public")
}

model customer {
  id  Int     @id @default(autoincrement())
  ref String?

  @@schema("billing")
}

model invoice {
  id          Int    @id @default(autoincrement())
  customer_id Int
  customer    Client @relation(fields: [customer_id], references: [id], onDelete: NoAction, onUpdate: NoAction)

  @@schema("billing")
}

model aaa {
  id Int @id

  @@schema("public")
}
'''

RE_WARNING = '''
// *** WARNING ***
// 
// These models were enriched with `@@map` information taken from the previous Prisma schema:
//   - "Client"
// '''


def test_tables_of_one_name_in_two_schemas(pg_db):
    conn = pg_db(TWO_SCHEMAS)
    described = describe_connection(conn, "postgresql", ["public", "billing"])
    fresh = introspect(described, "postgresql", [("schema.prisma", MULTI_DATASOURCE)])
    assert (fresh.text, fresh.warning_comment()) == (FRESH, FRESH_WARNING)
    # The previous schema's model of public.customer keeps its name; billing.customer is the only
    # new `customer` left, so it is not renamed.
    again = introspect(described, "postgresql", [("schema.prisma", PREVIOUS)])
    assert (again.text, again.warning_comment()) == (RE, RE_WARNING)
