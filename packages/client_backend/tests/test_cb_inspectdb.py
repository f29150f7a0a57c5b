"""inspectdb writes working models from any API server_kit emits; what it cannot, it says."""

from __future__ import annotations

import io

import pytest
from cb_kitchen import models as kitchen
from django.core.management import call_command
from django.db import NotSupportedError, connections, models
from django.test.utils import isolate_apps


@pytest.mark.django_db(databases=["default", "api"])
@isolate_apps("cb_shop")
def test_a_many_to_many_with_a_hidden_reverse_is_not_supported_naming_the_field(kitchen_data):
    class HiddenTopping(models.Model):
        name = models.CharField(max_length=125)

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "toppings"
            resource_name = "topping"
            resource_name_plural = "toppings"

    class HiddenPizza(models.Model):
        name = models.CharField(max_length=125)
        toppings = models.ManyToManyField(HiddenTopping, related_name="+")

        class Meta:
            app_label = "cb_shop"

        class APIMeta:
            resource_path = "pizzas"
            resource_name = "pizza"
            resource_name_plural = "pizzas"

    regina = HiddenPizza.objects.get(name="regina")
    with pytest.raises(NotSupportedError, match=r"HiddenPizza\.toppings.*related_name='\+'"):
        list(regina.toppings.all())


def _inspect(root):
    out = io.StringIO()
    with connections["api"].override_api_settings(root_url=root):
        call_command("inspectdb", database="api", stdout=out)
    return out.getvalue()


def _load(source):
    namespace = {}
    source = source.replace(
        "class APIMeta:", "class Meta:\n        app_label = 'cb_shop'\n\n    class APIMeta:"
    )
    exec(compile(source, "models", "exec"), namespace)
    return namespace


@pytest.mark.django_db(databases=["default", "api"])
@pytest.mark.parametrize("root", ["http://localapi/api/", "http://localapi/open/"])
@isolate_apps("cb_shop")
def test_inspectdb_models_work_whether_or_not_reverse_relations_are_read_only(kitchen_data, root):
    # /open/ leaves Menu.pizzas and Topping.pizzas writable: inspectdb wrote them as
    # many-to-many fields, and the real ones with related_name="+".
    source = _inspect(root)
    assert '    menu = models.ForeignKey("Menu", models.DO_NOTHING, db_column="menu",' in source
    assert 'related_name="pizzas", null=True, blank=True)' in source
    assert (
        '    toppings = models.ManyToManyField("Topping", related_name="pizzas", blank=True)'
        in source
    )
    assert '# pizzas: the reverse side of a relation declared on "Pizza"' in source
    assert 'related_name="+"' not in source
    generated = _load(source)
    with connections["api"].override_api_settings(root_url=root):
        regina = generated["Pizza"].objects.get(name="regina")
        assert sorted(t.name for t in regina.toppings.all()) == ["cheese", "ham"]
        assert regina.menu.name == "Italian"
        assert sorted(p.name for p in regina.menu.pizzas.all()) == sorted(
            kitchen.Pizza.objects.filter(menu__name="Italian").values_list("name", flat=True)
        )
