"""Auth classes, the router and the contract check."""

from __future__ import annotations

import base64
import io

import httpx
import pytest
from cb_helpers import FULL
from cb_shop.models import Local, Menu, Pizza
from django.core.management import call_command
from django.db import connections, models, router
from django.db.models import Q
from django.test.utils import isolate_apps

from client_backend.auth import BasicAuth, BearerToken, OAuthToken, build_auth
from client_backend.exceptions import APIConfigurationError
from client_backend.options import ConnectionSettings
from client_backend.resources import resource_for
from client_backend.routers import APIRouter
from client_backend.testing import InProcessTransport, api_transport
from client_backend.validation import _model_messages, contract_messages

EMPTY = {"pizzas": [], "meta": {"total_results": 0, "per_page": 50, "page": 1, "total_pages": 1}}


class TokenServer:
    """Issues numbered tokens; accepts only the newest one."""

    def __init__(self, lifetime=3600):
        self.lifetime = lifetime
        self.issued = 0
        self.log = []

    def __call__(self, request):
        self.log.append(f"{request.method} {request.url.path}")
        if request.url.path == "/oauth2/token/":
            assert (
                request.headers["Authorization"]
                == "Basic " + base64.b64encode(b"alice:s3cret-password").decode()
            )
            assert request.content == b"grant_type=client_credentials"
            self.issued += 1
            return httpx.Response(
                200, json={"access_token": f"t{self.issued}", "expires_in": self.lifetime}
            )
        if request.headers.get("Authorization") != f"Bearer t{self.issued}":
            return httpx.Response(401, json={"detail": "token expired"})
        return httpx.Response(200, json=EMPTY)


@pytest.fixture
def oauth():
    def serve(server):
        return connections["api"].override_api_settings(
            transport=httpx.MockTransport(server),
            client_factory=None,
            auth_path="client_backend.auth.OAuthToken",
            root_url="http://api.test/v1/",
            features=FULL,
        )

    return serve


@pytest.mark.django_db(databases=["api"])
def test_oauth_token_cached_and_refreshed_once_on_401(oauth):
    server = TokenServer()
    with oauth(server):
        list(Pizza.objects.all())
        list(Pizza.objects.all())
        assert server.log == ["POST /oauth2/token/", "GET /v1/pizzas", "GET /v1/pizzas"]
        server.issued += 1  # the server revokes t1
        list(Pizza.objects.all())
    assert server.log[3:] == ["GET /v1/pizzas", "POST /oauth2/token/", "GET /v1/pizzas"]


@pytest.mark.django_db(databases=["api"])
def test_oauth_token_renewed_before_expiry(oauth):
    server = TokenServer(lifetime=5)  # under the 10 s margin: never reused
    with oauth(server):
        list(Pizza.objects.all())
        list(Pizza.objects.all())
    assert server.log.count("POST /oauth2/token/") == 2


def _settings(**options):
    return ConnectionSettings.from_settings_dict(
        {"NAME": "http://api.test/", "USER": "u", "PASSWORD": "p", "OPTIONS": options}
    )


def test_basic_and_bearer_headers():
    request = httpx.Request("GET", "http://api.test/")
    flow = BasicAuth.from_settings(_settings()).auth_flow(request)
    assert next(flow).headers["Authorization"] == "Basic dTpw"
    flow = BearerToken.from_settings(_settings(TOKEN="abc")).auth_flow(request)
    assert next(flow).headers["Authorization"] == "Bearer abc"
    with pytest.raises(APIConfigurationError, match="needs a token"):
        BearerToken("")


def test_build_auth_from_dotted_paths():
    settings = _settings()
    assert build_auth(settings) is None
    auth = build_auth(
        ConnectionSettings(root_url="http://a/", auth_path="client_backend.auth.OAuthToken")
    )
    assert isinstance(auth, OAuthToken) and auth.token_url == "http://a/oauth2/token/"
    assert isinstance(
        build_auth(ConnectionSettings(root_url="http://a/", auth_path="httpx.Auth")), httpx.Auth
    )
    with pytest.raises(APIConfigurationError, match="cannot be imported"):
        build_auth(ConnectionSettings(root_url="http://a/", auth_path="nowhere.Auth"))
    with pytest.raises(APIConfigurationError, match="must name an httpx.Auth"):
        build_auth(ConnectionSettings(root_url="http://a/", auth_path="collections.OrderedDict"))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"NAME": "api"}, "NAME must be the API root URL"),
        ({"NAME": "http://a/", "OPTIONS": {"TIMOUT": 1}}, "Unknown OPTIONS"),
        ({"NAME": "http://a/", "OPTIONS": {"PAGE_SIZE": 0}}, "PAGE_SIZE"),
        ({"NAME": "http://a/", "OPTIONS": {"TIMEOUT": "slow"}}, "TIMEOUT"),
        ({"NAME": "http://a/", "OPTIONS": {"TRANSPORT": object()}}, "TRANSPORT"),
    ],
)
def test_bad_settings(entry, message):
    with pytest.raises(APIConfigurationError, match=message):
        ConnectionSettings.from_settings_dict(entry)


def test_router():
    api_router = APIRouter()
    assert api_router.db_for_read(Pizza) == "api"
    assert api_router.db_for_write(Pizza.toppings.through) == "api"
    assert api_router.db_for_read(Local) is None
    assert api_router.allow_migrate("api", "cb_shop", model_name="local") is False
    assert api_router.allow_migrate("default", "cb_shop", model_name="pizza") is False
    assert api_router.allow_migrate("default", "cb_shop", model_name="local") is None
    assert router.allow_migrate("default", "cb_shop", model_name="local")
    with pytest.raises(ValueError, match="local model"):
        router.allow_relation(Local(), Menu())
    assert api_router.allow_relation(Pizza(), Menu())
    assert api_router.allow_relation(Local(), Local()) is None


@pytest.mark.django_db(databases=["default", "api"])
def test_contract_check_passes_against_server_kit():
    with api_transport(InProcessTransport()) as connection:
        assert contract_messages(connection) == []


@pytest.mark.django_db(databases=["default", "api"])
@isolate_apps("cb_shop")
def test_contract_check_reports_missing_fields_and_relations():
    class Chef(models.Model):
        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "menus"

    class BrokenMenu(models.Model):
        name = models.CharField(max_length=10)
        stars = models.IntegerField()
        chef = models.ForeignKey(Chef, on_delete=models.CASCADE)
        pizzas = models.ForeignKey(Chef, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "menus"

    class Missing(models.Model):
        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "nowhere"

    with api_transport(InProcessTransport()) as connection:
        broken = {(m.id, m.msg.split(":")[0]) for m in _model_messages(connection, BrokenMenu)}
        backward = [m.id for m in _model_messages(connection, Chef)]
        missing = [m.id for m in _model_messages(connection, Missing)]
    assert broken == {
        ("client_backend.E006", "cb_shop.BrokenMenu.stars"),
        ("client_backend.E003", "cb_shop.BrokenMenu.chef"),
        ("client_backend.E005", "cb_shop.BrokenMenu.pizzas"),
    }
    assert backward == ["client_backend.E004"]
    assert missing == ["client_backend.E001"]


class CountingTransport(InProcessTransport):
    """The in-process API, noting each request as ``"METHOD path"``."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def handle_request(self, request):
        self.lines.append(f"{request.method} {request.url.path}")
        return super().handle_request(request)


@pytest.mark.django_db(databases=["default", "api"])
def test_check_and_queries_share_one_options_request_per_resource():
    transport = CountingTransport()
    with api_transport(transport) as connection:
        assert contract_messages(connection) == []
        checked = len(transport.lines)
        # NOT over a group needs the server's features; several rows updated ask for bulk.
        assert list(Pizza.objects.exclude(Q(price=1) & Q(name="p1"))) == []
        assert Pizza.objects.filter(price__lt=3).update(price=4) == 0
    options = [line for line in transport.lines if line.startswith("OPTIONS ")]
    assert [line for line in options if line.endswith("/" + resource_for(Pizza).list_path())]
    assert len(options) == len(set(options)) == checked
    assert len(transport.lines) > checked  # the reads and the update were sent


@pytest.mark.django_db(databases=["default", "api"])
def test_an_unreachable_resource_is_reported_and_asked_again_later():
    served = InProcessTransport()
    down = True

    def server(request):
        if down:
            raise httpx.ConnectError("Connection refused", request=request)
        return served.handle_request(request)

    with api_transport(httpx.MockTransport(server)) as connection:
        assert [m.id for m in _model_messages(connection, Pizza)] == ["client_backend.E001"]
        down = False  # a failed OPTIONS is not kept: the next check asks again
        assert _model_messages(connection, Pizza) == []


@pytest.mark.django_db(databases=["default", "api"])
def test_check_command_runs_the_contract_check():
    with api_transport(InProcessTransport()):
        call_command("check", databases=["api"])


@pytest.mark.django_db(databases=["default", "api"])
def test_inspectdb_writes_models_with_apimeta():
    out = io.StringIO()
    with api_transport(InProcessTransport()):
        call_command("inspectdb", database="api", stdout=out)
    source = out.getvalue()
    assert "class Pizza(models.Model):" in source
    assert '    menu = models.ForeignKey("Menu", models.DO_NOTHING, db_column="menu",' in source
    assert 'related_name="pizzas", null=True, blank=True)' in source
    assert (
        '    toppings = models.ManyToManyField("Topping", related_name="pizzas", blank=True)'
        in source
    )
    assert "    price = models.FloatField()" in source
    assert '        resource_path = "pizzas"' in source
    namespace = {}
    with isolate_apps("cb_shop"):
        exec(
            compile(
                source.replace(
                    "class APIMeta:",
                    "class Meta:\n        app_label = 'cb_shop'\n\n    class APIMeta:",
                ),
                "models",
                "exec",
            ),
            namespace,
        )
    assert namespace["Pizza"]._meta.get_field("menu").related_model is namespace["Menu"]
