"""The API's OpenAPI 3.1 document (``/api/openapi.json``), generated from the code by apispec.

apispec (marshmallow-code's, kept since 2014) assembles the document: its paths come from the
URL map (every route of the API's blueprint, and ``/search.json``), each operation from the YAML
after ``---`` in its view's docstring, the schemas from ``schemas.py``. It was chosen over
spectree and flask-smorest because it asks no change of the views (no pydantic or marshmallow
models in front of ``shapes.py``) and writes 3.1, whose schemas are plain JSON Schema. A route
of the API without its YAML fails ``tests/api/test_openapi.py``."""
import re

from apispec import APISpec, yaml_utils

from forum.numbers import MAX_INT

from .schemas import COMPONENTS

# The other packages' routes that belong to the API (the core never imports them: named here).
EXTRA_ENDPOINTS = ("search.results_json",)
PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
ERRORS = {"400": "Paramètres incorrects (invalid_parameters)", "403": "Refusé (invalid_access)",
          "404": "Introuvable, ou pas ouvert à qui demande (not_found)", "405": "Méthode non permise ici",
          "429": "Trop de requêtes (rate_limit)"}
WRITE_ERRORS = {"409": "Conflit", "413": "Envoi trop volumineux", "422": "Saisie à corriger (le message dit quoi)"}
# A member's key names its member; an administrator's global key also needs Api-Username.
KEY_SECURITY = [{"ApiKey": []}]


def is_api(rule):
    """The JSON routes of the API (its blueprint also holds the settings' « Clés d'API » pages)."""
    json = rule.rule.endswith(".json") or rule.rule.startswith(("/posts", "/api/"))
    return json and (rule.endpoint.startswith("api.") or rule.endpoint in EXTRA_ENDPOINTS)


def document(app):
    """The document for ``app`` (built once per app: the URL map does not change)."""
    kept = app.extensions.get("agora_openapi")
    if kept is None:
        kept = app.extensions["agora_openapi"] = _build(app)
    return kept


def _build(app):
    spec = APISpec(title="Agora", version="1", openapi_version="3.1.0", info={
        "description": "Le forum des comités locaux du travail social, dans les formes de l'API de Discourse."})
    for name, schema in COMPONENTS.items():
        spec.components.schema(name, schema)
    spec.components.response("Error", {"description": "Erreur au format de Discourse", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    spec.components.security_scheme("ApiKey", {"type": "apiKey", "in": "header", "name": "Api-Key"})
    spec.components.security_scheme("ApiUsername", {
        "type": "apiKey", "in": "header", "name": "Api-Username",
        "description": "Le pseudonyme du membre pour qui agit une clé globale (inutile avec la clé d'un membre)."})
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if not is_api(rule):
            continue
        declared = yaml_utils.load_operations_from_docstring(app.view_functions[rule.endpoint].__doc__ or "")
        operations = {}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = dict(declared[method.lower()])
            operation.setdefault("operationId", f"{rule.endpoint}.{method.lower()}.{_suffix(rule.rule)}")
            operation["responses"] = {**{code: {"$ref": "#/components/responses/Error"}
                                         for code in (ERRORS if method == "GET" else {**ERRORS, **WRITE_ERRORS})},
                                      **operation["responses"]}
            operation.setdefault("security", [{}, *KEY_SECURITY])
            operations[method.lower()] = operation
        spec.path(path=PARAMETER.sub(r"{\2}", rule.rule), operations=operations,
                  parameters=[_path_parameter(kind, name) for kind, name in PARAMETER.findall(rule.rule)])
    return spec.to_dict()


def _suffix(path):
    return re.sub(r"[^a-z0-9]+", "-", PARAMETER.sub(r"\2", path).lower()).strip("-")


def _path_parameter(kind, name):
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_INT} if kind == "int" else \
        {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
    return {"name": name, "in": "path", "required": True, "schema": schema}
