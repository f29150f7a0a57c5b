"""django-rest-models' public names and behaviour under the migration rule (issue 13)."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from cb_kitchen import models as kitchen
from cb_shop.models import Menu, Pizza, PlainPizza
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, NotSupportedError, ProgrammingError, connections
from django.test.utils import CaptureQueriesContext

from client_backend.auth import ApiAuthBase, OAuthToken, auth_class
from client_backend.checks import auth_check, contract_check
from client_backend.connexion import ApiConnexion
from client_backend.middlewares import ApiMiddleware, FakeApiResponse
from client_backend.options import ConnectionSettings
from client_backend.resources import default_api_database
from client_backend.routers import RestModelRouter
from client_backend.test import MockDataApiMiddleware, PrintQueryMiddleware, RestModelTestCase
from client_backend.testing import InProcessTransport, api_transport
from client_backend.utils import JsonFixtures, NullPasswordHasher, Path, dict_contains

API = "http://localapi/api/"  # conftest TEST NAME: what the test run uses
MENU = {"id": 1, "name": "Italian", "code": "IT"}
META = {"page": 1, "per_page": 50, "total_results": 1, "total_pages": 1}
OPTIONS = {
    "features": ["include[]", "exclude[]", "filter{}", "page", "per_page", "sort[]"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "code": {"type": "string"},
        "pizzas": {"type": "many"},
    },
}


class Recorder(ApiMiddleware):
    """Records the hooks' calls, in order."""

    calls: list[str] = []

    def process_request(self, params, requestid, connection):
        Recorder.calls.append(f"request {params['method']} {params['url']}")

    def process_response(self, params, response, requestid):
        Recorder.calls.append(f"response {response.status_code}")
        return response


class Answer(ApiMiddleware):
    def process_request(self, params, requestid, connection):
        return self.data_response({"menus": [MENU], "meta": META})


class DrmStyleAuth(ApiAuthBase):
    def __call__(self, request):
        return request


# Test utilities -------------------------------------------------------------------------


class TestRestFixtures(RestModelTestCase):
    databases = {"default", "api"}
    rest_fixtures = {
        "menus": [
            {
                "filter": {"params": {"filter{code}": ["IT"]}},
                "data": {"menus": [MENU], "meta": META},
            },
            {
                "filter": {"method": "post", "json": {"menu": {"name": "New"}}},
                "data": {"menu": {**MENU, "id": 7, "name": "New"}},
                "status_code": 201,
            },
        ],
        "menus/%(pk)s/": [{"data": {"menu": MENU}}],
    }

    def test_reads_and_writes_are_answered_from_fixtures(self):
        assert [m.name for m in Menu.objects.filter(code="IT")] == ["Italian"]
        created = Menu.objects.create(name="New", code="NW")
        assert (created.pk, created.code) == (7, "IT")

    def test_a_request_without_fixture_fails_the_test(self):
        with pytest.raises(AssertionError, match="was not provided as mocked data"):
            list(Menu.objects.filter(code="XX"))

    def test_variables_fill_fixture_urls(self):
        self.rest_fixtures_variables["pk"] = 1
        assert Menu.objects.get(pk=1).name == "Italian"

    def test_mock_api_answers_options_for_the_contract_check(self):
        with self.mock_api("menus", OPTIONS, params={"method": "options"}):
            from client_backend.validation import contract_messages

            assert contract_messages(connections["api"], [Menu]) == []

    def test_track_query_records_requests(self):
        with self.track_query() as tracker:
            list(Menu.objects.filter(code="IT"))
        (query,) = tracker.get_for_url("menus")
        assert query["params"]["params"]["filter{code}"] == ["IT"]
        assert query["response"].status_code == 200


def test_json_fixtures_from_files_mappings_and_variables(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"a": [{"data": 1}], "b": {"data": 2}}))
    fixtures = JsonFixtures(Path(path), {"a": {"data": 0}}, c=[3])
    assert fixtures["a"] == [{"data": 1}, {"data": 0}]
    assert fixtures["b"] == [{"data": 2}] and fixtures["c"] == [3]
    fixtures = JsonFixtures({"me/%(id)s/": [1]}).set_variable({"id": 4})
    assert fixtures["me/4/"] == [1]
    with pytest.raises(KeyError):
        fixtures["me/5/"]
    path.write_text("{not json")
    with pytest.raises(ValueError, match="error while loading the fixture"):
        JsonFixtures(path)["a"]
    with pytest.raises(ValueError):
        JsonFixtures(None)


def test_dict_contains_compares_sets_unordered():
    assert dict_contains({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3})
    assert not dict_contains({"a": 1}, {})
    assert dict_contains({"include[]": ["y", "x"]}, {"include[]": {"x", "y"}})
    assert not dict_contains({"l": [1, 3]}, {"l": [1, 2, 3]})


def test_api_connexion_with_mock_data_and_print_query_middlewares():
    out = io.StringIO()
    cnx = ApiConnexion("http://localapi/v2/")
    cnx.push_middleware(PrintQueryMiddleware(out, format_="json"), 3)
    cnx.push_middleware(MockDataApiMiddleware({"b": {"data": {"res": "b"}}, "/abs": {"data": [1]}}))
    assert cnx.get("b", params={"name": "x"}).json() == {"res": "b"}
    assert cnx.get("/abs").json() == [1]
    with pytest.raises(AssertionError, match="'c' was not provided as mocked data"):
        cnx.get("c")
    lines = out.getvalue().splitlines()
    assert lines[0] == "## BEGIN GET b =>"
    assert json.loads("\n".join(lines[1 : lines.index("## END GET b <=")]))["filter"] == {
        "params": {"name": "x"},
        "method": "get",
        "json": None,
    }


def test_print_query_middleware_null_format_says_why(settings):
    out = io.StringIO()
    cnx = ApiConnexion("http://localapi/v2/")
    cnx.push_middleware(PrintQueryMiddleware(out), 3)
    cnx.push_middleware(MockDataApiMiddleware({"b": {"data": {}}}))
    cnx.get("b")
    assert "missing settings.REST_API_OUTPUT_FORMAT" in out.getvalue()


def test_fake_api_response():
    assert FakeApiResponse({"a": 1}, 200).text == '{"a": 1}'
    unserializable = object()
    response = FakeApiResponse(unserializable, 204)
    assert response.json() is unserializable and response.text.startswith("<object")


# Middlewares and options ----------------------------------------------------------------


@pytest.mark.django_db(databases=["default", "api"])
def test_middlewares_from_settings_wrap_every_request():
    Recorder.calls = []
    path = f"{__name__}.Recorder"
    with api_transport(InProcessTransport()) as connection:
        with connection.override_api_settings(middlewares=(path,)):
            assert list(Menu.objects.all()) == []
    assert Recorder.calls == [f"request get {API}menus", "response 200"]


@pytest.mark.django_db(databases=["api"])
def test_a_middleware_answer_replaces_the_request():
    Recorder.calls = []
    connection = connections["api"]
    with connection.override_api_settings(
        middlewares=(f"{__name__}.Recorder", f"{__name__}.Answer"), features=()
    ):
        with CaptureQueriesContext(connection) as captured:
            assert [m.name for m in Menu.objects.all()] == ["Italian"]
    assert len(captured) == 1  # still recorded: it went through the cursor
    assert Recorder.calls == [f"request get {API}menus", "response 200"]


def test_django_rest_models_options_are_accepted():
    settings = ConnectionSettings.from_settings_dict(
        {
            "NAME": API,
            "PREVENT_DISTINCT": True,
            "MIDDLEWARES": ["a.B"],
            "OPTIONS": {"SSL_VERIFY": False, "IGNORE_INTROSPECT": True, "ENFORCE_POST": False},
        }
    )
    assert settings.prevent_distinct and settings.middlewares == ("a.B",)
    assert not settings.verify and settings.ignore_introspect and not settings.enforce_post
    with pytest.raises(ImproperlyConfigured, match="MIDDLEWARES"):
        ConnectionSettings.from_settings_dict({"NAME": API, "MIDDLEWARES": "a.B"})


@pytest.mark.django_db(databases=["api"])
def test_prevent_distinct_refuses_without_sending():
    connection = connections["api"]
    with connection.override_api_settings(prevent_distinct=True):
        with CaptureQueriesContext(connection) as captured:
            with pytest.raises(NotSupportedError, match="PREVENT_DISTINCT"):
                list(Menu.objects.distinct())
    assert len(captured) == 0


def test_db_name_defaults_to_the_only_api_database():
    api = {"ENGINE": "client_backend"}
    assert default_api_database({"default": {}, "api": api, "TEST_api": api}) == "api"
    with pytest.raises(ImproperlyConfigured, match="api, other"):
        default_api_database({"api": api, "other": api})
    with pytest.raises(ImproperlyConfigured, match="No DATABASES entry"):
        default_api_database({"default": {}})
    router = RestModelRouter()
    assert router.api_database_name == "api"
    router.databases = {"x": api, "y": api}
    with pytest.raises(ImproperlyConfigured):
        _ = router.api_database_name


# Writes ---------------------------------------------------------------------------------


@pytest.mark.django_db(databases=["default", "api"])
def test_a_refused_write_is_integrity_and_programming_error():
    with api_transport(InProcessTransport()):
        with pytest.raises(IntegrityError) as error:
            Pizza.objects.create(name="no price")
    assert isinstance(error.value, ProgrammingError)
    assert "price" in str(error.value)


@pytest.mark.django_db(databases=["default", "api"])
def test_bulk_create_on_a_plain_server_is_one_list_post_all_or_nothing():
    rows = [PlainPizza(name=f"p{i}", price=i) for i in range(3)]
    with api_transport(InProcessTransport()) as connection:
        with CaptureQueriesContext(connection) as captured:
            PlainPizza.objects.bulk_create(rows)
        assert [q["sql"].split("?")[0] for q in captured] == [f"POST {API[:-5]}/plain/pizzas"]
        assert sorted(p.pk for p in rows) == sorted(
            kitchen.Pizza.objects.values_list("pk", flat=True)
        )
        bad = [PlainPizza(name="ok", price=1), PlainPizza(name="x" * 300, price=2)]
        with pytest.raises(IntegrityError):
            PlainPizza.objects.bulk_create(bad)
    assert kitchen.Pizza.objects.count() == 3


@pytest.mark.django_db(databases=["default", "api"])
def test_prefetch_requests_carry_filter_to_prefetch(kitchen_data):
    with api_transport(InProcessTransport()) as connection:
        with CaptureQueriesContext(connection) as captured:
            pizzas = list(Pizza.objects.prefetch_related("toppings").order_by("pk"))
    assert [t.name for t in pizzas[1].toppings.all()] == ["cheese", "ham"]
    first, second = (q["sql"] for q in captured)
    assert "filter_to_prefetch" not in first
    assert "filter_to_prefetch=true" in second


# Checks and auth ------------------------------------------------------------------------


@pytest.mark.django_db(databases=["default", "api"])
def test_contract_check_under_plain_check_when_asked(settings):
    with api_transport(InProcessTransport()) as connection:
        assert contract_check() == []  # not asked: nothing sent
        settings.CLIENT_BACKEND_CONTRACT_CHECK = True
        assert contract_check() == []  # asked, the API matches the models
        with connection.override_api_settings(root_url="http://testserver/nowhere/"):
            ids = {m.id for m in contract_check()}
            assert ids == {"client_backend.E001"}
            with connection.override_api_settings(skip_check=True):
                assert contract_check() == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_django_rest_models_auth_classes_fail_with_how_to_port(settings):
    path = f"{__name__}.DrmStyleAuth"
    with pytest.raises(ImproperlyConfigured, match="Port it to httpx.Auth"):
        auth_class(path)
    settings.DATABASES = {**settings.DATABASES, "drm": {"ENGINE": "client_backend", "AUTH": path}}
    (message,) = auth_check()
    assert message.id == "client_backend.E007" and "httpx.Auth" in message.msg


@pytest.mark.parametrize(
    ("enforce_post", "query", "form"),
    [(True, b"", b"grant_type"), (False, b"grant_type=client_credentials", b"")],
)
def test_oauth_token_request_follows_enforce_post(enforce_post, query, form):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth2/token/":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        return httpx.Response(200, json={})

    auth = OAuthToken("http://api.test/oauth2/token/", "id", "secret", enforce_post=enforce_post)
    with httpx.Client(auth=auth, transport=httpx.MockTransport(handler)) as client:
        client.get("http://api.test/menus")
    token = seen[0]
    assert token.method == "POST" and token.url.query == query
    assert (b"grant_type" in token.content) == bool(form)
    assert seen[1].headers["Authorization"] == "Bearer t"


def test_null_password_hasher_round_trip(settings):
    settings.PASSWORD_HASHERS = ["client_backend.utils.NullPasswordHasher"]
    encoded = make_password("pa$$word")
    assert encoded.startswith("null$") and check_password("pa$$word", encoded)
    assert not check_password("other", encoded)
    assert NullPasswordHasher().safe_summary(encoded)["hash"] == "*"


class AddFilter(ApiMiddleware):
    def process_request(self, params, requestid, connection):
        params["params"]["filter{code}"] = ["FU"]


@pytest.mark.django_db(databases=["default", "api"])
def test_a_middleware_changing_params_changes_the_request_sent(kitchen_data):
    with api_transport(InProcessTransport()) as connection:
        with connection.override_api_settings(middlewares=(f"{__name__}.AddFilter",)):
            assert [m.code for m in Menu.objects.all()] == ["FU"]


def test_form_fields_encode_json_values_as_drf_reads_them():
    import datetime as dt

    from client_backend.request import form_fields

    when = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    fields = form_fields(
        {
            "a": None,
            "b": True,
            "c": 1.5,
            "d": dt.date(2030, 1, 2),
            "e": when,
            "f": [1, 2],
            "g": {"k": 1},
        }
    )
    assert fields == {
        "a": "",
        "b": "true",
        "c": "1.5",
        "d": "2030-01-02",
        "e": "2030-01-02T03:04:05Z",
        "f": "[1, 2]",
        "g": '{"k": 1}',
    }


@pytest.mark.django_db(databases=["api"])
def test_ignore_introspect_makes_inspectdb_send_nothing():
    from django.core.management import call_command

    connection = connections["api"]
    out = io.StringIO()
    with connection.override_api_settings(ignore_introspect=True):
        with CaptureQueriesContext(connection) as captured:
            call_command("inspectdb", database="api", stdout=out)
    assert (out.getvalue(), len(captured)) == ("", 0)


@pytest.mark.django_db(databases=["api"])
def test_a_middleware_that_cannot_be_imported_is_a_configuration_error():
    connection = connections["api"]
    with connection.override_api_settings(middlewares=("nowhere.Middleware",)):
        with pytest.raises(ImproperlyConfigured, match="'nowhere.Middleware' cannot be imported"):
            list(Menu.objects.all())
