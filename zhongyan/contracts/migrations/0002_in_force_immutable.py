"""A contract in force is immutable in the database itself, not only in the services: any UPDATE of
the contract row or of its parties' signature rows is refused once the old status is in_force, and
versions are append-only. (Deletion is refused by PROTECT foreign keys, the services and the admin.)"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MESSAGE = "contracts in force are immutable"

SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS contracts_contract_in_force_immutable BEFORE UPDATE ON contracts_contract
       WHEN OLD.status = 'in_force'
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS contracts_contractparty_in_force_immutable BEFORE UPDATE ON contracts_contractparty
       WHEN (SELECT status FROM contracts_contract WHERE id = OLD.contract_id) = 'in_force'
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    """CREATE TRIGGER IF NOT EXISTS contracts_contractversion_append_only BEFORE UPDATE ON contracts_contractversion
       BEGIN SELECT RAISE(ABORT, 'contract versions are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS contracts_contract_in_force_immutable",
    "DROP TRIGGER IF EXISTS contracts_contractparty_in_force_immutable",
    "DROP TRIGGER IF EXISTS contracts_contractversion_append_only",
]

POSTGRES = [
    f"""CREATE FUNCTION contracts_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER contracts_contract_in_force_immutable BEFORE UPDATE ON contracts_contract
       FOR EACH ROW WHEN (OLD.status = 'in_force') EXECUTE FUNCTION contracts_refuse_change()""",
    f"""CREATE FUNCTION contracts_party_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM contracts_contract WHERE id = OLD.contract_id AND status = 'in_force') THEN
           RAISE EXCEPTION '{MESSAGE}';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER contracts_contractparty_in_force_immutable BEFORE UPDATE ON contracts_contractparty
       FOR EACH ROW EXECUTE FUNCTION contracts_party_refuse_change()""",
    """CREATE TRIGGER contracts_contractversion_append_only BEFORE UPDATE ON contracts_contractversion
       FOR EACH ROW EXECUTE FUNCTION contracts_refuse_change()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER contracts_contractversion_append_only ON contracts_contractversion",
    "DROP TRIGGER contracts_contractparty_in_force_immutable ON contracts_contractparty",
    "DROP FUNCTION contracts_party_refuse_change()",
    "DROP TRIGGER contracts_contract_in_force_immutable ON contracts_contract",
    "DROP FUNCTION contracts_refuse_change()",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_contracts_templates_versions_signatures")]
    operations = [migrations.RunPython(forwards, backwards)]
