"""Every DRF relation field class (issue 15): loaded without N+1, filtered by what it shows."""

from __future__ import annotations

import pytest
from sk_testapp.models import Album, Artist, Bookmark, LinerNotes, TaggedItem, Track

pytestmark = pytest.mark.django_db

ONLY = "exclude[]=*&include[]=id&include[]="


def make_albums(n):
    artists = Artist.objects.bulk_create(
        [Artist(slug=f"artist-{i}", name=f"Artist {i}") for i in range(max(2, n // 2))]
    )
    albums = Album.objects.bulk_create(
        [
            Album(album_name=f"album {i}", artist=artists[i % len(artists)] if i % 5 else None)
            for i in range(n)
        ]
    )
    Track.objects.bulk_create(
        [
            Track(album=album, order=k, title=f"t{album.pk}-{k}", duration=60 * k + 5)
            for album in albums
            for k in range(3)
        ]
    )
    LinerNotes.objects.bulk_create(
        [LinerNotes(album=album, text=f"notes {album.pk}") for album in albums[::2]]
    )
    bookmarks = Bookmark.objects.bulk_create(
        [Bookmark(url=f"https://example.com/{i}") for i in range(n)]
    )
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tagged_object=row, tag_name=f"tag-{k}")
            for row in [*albums, *bookmarks]
            for k in range(2)
        ]
    )
    return albums


# (field, queries beyond the root one): one per relation path the field reads.
FIELDS = [
    ("url", 0),  # HyperlinkedIdentityField: the row's own pk
    ("artist", 1),  # SlugRelatedField (to-one)
    ("artist_pk", 0),  # PrimaryKeyRelatedField (to-one): the local column
    ("artist_url", 0),  # HyperlinkedRelatedField by pk: the local column
    ("artist_link", 1),  # HyperlinkedRelatedField by slug
    ("artist_name", 1),  # StringRelatedField (to-one)
    ("artist_object", 1),  # nested serializer (to-one)
    ("artist_full", 2),  # nested dynamic serializer: the artist, then its album_set ids
    ("note_objects", 1),  # nested dynamic serializer on a reverse one-to-one
    ("track_ids", 1),  # ManyRelatedField of PrimaryKeyRelatedField
    ("track_titles", 1),  # SlugRelatedField(many=True)
    ("track_names", 1),  # StringRelatedField(many=True)
    ("track_listing", 1),  # custom RelatedField subclass (many)
    ("track_objects", 1),  # nested serializer (many)
    ("tag_names", 1),  # SlugRelatedField(many=True) through a GenericRelation
    ("tags", 1),  # DynamicRelationField through a GenericRelation
    ("liner_notes", 1),  # DynamicRelationField, reverse one-to-one
    ("liner_notes.", 1),  # ... included as objects
    ("tags.", 2),  # tagged items as objects, then their generic key (one content type)
]


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize(("field", "extra"), FIELDS)
def test_each_relation_field_costs_the_same_at_any_row_count(
    api, django_assert_num_queries, rows, field, extra
):
    make_albums(rows)
    with django_assert_num_queries(1 + extra):
        response = api.get(f"/albums/?per_page=100&{ONLY}{field}")
    assert response.status_code == 200, response.json()
    assert len(response.json()["albums"]) == rows


def test_each_relation_field_renders_what_drf_documents(api):
    album = make_albums(2)[1]  # has an artist, no liner notes yet
    notes = LinerNotes.objects.create(album=album, text="sleeve")
    body = api.get(f"/albums/{album.pk}/").json()["album"]
    artist = album.artist
    assert body["url"] == f"http://testserver/albums/{album.pk}"
    assert body["artist"] == artist.slug
    assert body["artist_pk"] == artist.pk
    assert body["artist_url"] == f"http://testserver/artists/{artist.pk}"
    assert body["artist_link"] == f"http://testserver/slugged-artists/{artist.slug}"
    assert body["artist_name"] == artist.name
    assert body["artist_object"] == {"slug": artist.slug, "name": artist.name}
    tracks = list(album.tracks.order_by("order"))
    assert body["track_ids"] == [track.pk for track in tracks]
    assert body["track_titles"] == [track.title for track in tracks]
    assert body["track_names"] == [str(track) for track in tracks]
    assert body["track_listing"][1] == f"Track 1: {tracks[1].title} (01:05)"
    assert body["track_objects"] == [{"order": t.order, "title": t.title} for t in tracks]
    assert sorted(body["tag_names"]) == ["tag-0", "tag-1"]
    assert sorted(body["tags"]) == sorted(album.tags.values_list("pk", flat=True))
    assert body["liner_notes"] == notes.pk


def test_a_missing_reverse_one_to_one_renders_null_in_a_list(api):
    make_albums(2)
    rows = api.get(f"/albums/?{ONLY}liner_notes").json()["albums"]
    notes = dict(LinerNotes.objects.values_list("album_id", "pk"))
    assert [row["liner_notes"] for row in rows] == [notes.get(row["id"]) for row in rows]
    assert None in [row["liner_notes"] for row in rows]


@pytest.mark.parametrize("rows", [2, 20])
def test_generic_foreign_keys_cost_one_query_per_content_type(api, django_assert_num_queries, rows):
    make_albums(rows)
    # the tagged rows, then one query per content type (albums, bookmarks)
    with django_assert_num_queries(1 + 2):
        response = api.get("/tagged_items/?per_page=100")
    rendered = {row["tagged_object"].split(":")[0] for row in response.json()["tagged_items"]}
    assert rendered == {"Album", "Bookmark"}


@pytest.mark.parametrize("rows", [2, 20])
def test_auto_built_reverse_field_costs_one_query(api, django_assert_num_queries, rows):
    make_albums(rows)
    with django_assert_num_queries(1 + 1):
        response = api.get("/artists/?per_page=100")
    body = response.json()["artists"]
    expected = {
        a.pk: sorted(a.album_set.values_list("pk", flat=True)) for a in Artist.objects.all()
    }
    assert {row["id"]: sorted(row["album_set"]) for row in body} == expected


@pytest.mark.parametrize("rows", [2, 20])
def test_writable_nested_serializer_reads_and_writes_without_n_plus_1(
    api, django_assert_num_queries, rows
):
    make_albums(rows)
    with django_assert_num_queries(1 + 1):
        listed = api.get("/writable-albums/?per_page=100").json()["albums"]
    assert all(len(row["tracks"]) == 3 for row in listed)
    posted = api.post(
        "/writable-albums/",
        {
            "album_name": "new",
            "tracks": [{"order": 1, "title": "one"}, {"order": 2, "title": "two"}],
        },
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    assert [t["title"] for t in posted.json()["album"]["tracks"]] == ["one", "two"]
    assert list(Album.objects.get(album_name="new").tracks.values_list("title", flat=True)) == [
        "one",
        "two",
    ]


def _ids(response):
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["albums"])


def test_filter_by_slug_compares_the_slug(api):
    make_albums(6)
    artist = Artist.objects.get(slug="artist-1")
    expected = sorted(artist.album_set.values_list("pk", flat=True))
    assert expected
    assert _ids(api.get("/albums/?filter{artist}=artist-1")) == expected
    assert _ids(api.get("/albums/?filter{artist.in}=artist-1&filter{artist.in}=nobody")) == expected
    assert _ids(api.get("/albums/?filter{artist.isnull}=true")) == sorted(
        Album.objects.filter(artist=None).values_list("pk", flat=True)
    )
    # the slug, not the id: an id that is no slug matches nothing
    assert _ids(api.get(f"/albums/?filter{{artist}}={artist.pk}")) == []


def test_filter_by_hyperlink_takes_the_lookup_value_or_the_url(api):
    make_albums(6)
    artist = Artist.objects.get(slug="artist-2")
    expected = sorted(artist.album_set.values_list("pk", flat=True))
    assert _ids(api.get("/albums/?filter{artist_link}=artist-2")) == expected
    url = f"http://testserver/slugged-artists/{artist.slug}"
    assert _ids(api.get(f"/albums/?filter{{artist_link}}={url}")) == expected
    assert _ids(
        api.get(f"/albums/?filter{{artist_url}}=http://testserver/artists/{artist.pk}")
    ) == (expected)
    wrong = api.get(f"/albums/?filter{{artist_link}}=http://testserver/albums/{artist.pk}")
    assert wrong.status_code == 400
    assert "is not a URL of 'slugged-artist-detail'" in str(wrong.json())


def test_filter_through_to_many_plain_fields(api):
    albums = make_albums(4)
    track = Track.objects.filter(album=albums[2]).first()
    assert _ids(api.get(f"/albums/?filter{{track_titles}}={track.title}")) == [albums[2].pk]
    assert _ids(api.get(f"/albums/?filter{{track_ids}}={track.pk}")) == [albums[2].pk]
    tagged = TaggedItem.objects.filter(object_id=albums[3].pk, tag_name="tag-0")
    TaggedItem.objects.filter(pk__in=tagged.values("pk")).update(tag_name="rare")
    assert _ids(api.get("/albums/?filter{tag_names}=rare")) == [albums[3].pk]


def test_filter_through_a_generic_relation(api):
    albums = make_albums(4)
    TaggedItem.objects.create(tagged_object=albums[1], tag_name="gold")
    # a bookmark with the album's id and the same tag is not the album's
    TaggedItem.objects.create(tagged_object=Bookmark.objects.get(pk=albums[2].pk), tag_name="gold")
    assert _ids(api.get("/albums/?filter{tags.tag_name}=gold")) == [albums[1].pk]
    assert _ids(api.get("/albums/?filter{-tags.tag_name}=gold")) == sorted(
        a.pk for a in albums if a != albums[1]
    )
    body = api.get("/bookmarks/?filter{tags.tag_name}=gold").json()["bookmarks"]
    assert [row["id"] for row in body] == [albums[2].pk]


def test_filter_and_sort_through_an_auto_built_reverse_field(api):
    albums = make_albums(6)
    artist = albums[1].artist
    body = api.get(f"/artists/?filter{{album_set}}={albums[1].pk}").json()["artists"]
    assert [row["id"] for row in body] == [artist.pk]
    # to-many: each artist sorts by its smallest album id (none sorts like null)
    ordered = api.get("/artists/?sort[]=album_set").json()["artists"]
    first = {
        a.pk: min(a.album_set.values_list("pk", flat=True), default=None)
        for a in Artist.objects.all()
    }
    with_albums = [row["id"] for row in ordered if first[row["id"]] is not None]
    assert with_albums == sorted(with_albums, key=first.__getitem__)


def test_sort_by_slug(api):
    make_albums(6)
    rows = api.get("/albums/?sort[]=-artist&filter{artist.isnull}=false").json()["albums"]
    assert [row["artist"] for row in rows] == sorted((row["artist"] for row in rows), reverse=True)


def test_string_related_fields_are_refused_with_the_reason(api):
    make_albums(2)
    response = api.get("/albums/?filter{artist_name}=Artist 1")
    assert response.status_code == 400
    assert "renders each related row as text" in str(response.json())
    assert api.get("/albums/?sort[]=track_names").status_code == 400


def test_options_says_how_each_relation_renders(api, django_assert_num_queries):
    make_albums(2)
    with django_assert_num_queries(0):  # no related rows read as choices
        response = api.options("/albums/")
    assert response.status_code == 200, response.content
    properties = response.json()["properties"]
    relation = {name: prop.get("relation") for name, prop in properties.items()}
    assert relation["album_name"] is None
    assert relation["url"] == {
        "renders": "url",
        "many": False,
        "view_name": "albums-detail",
        "lookup_field": "pk",
        "identity": True,
    }
    assert relation["artist"] == {"renders": "slug", "many": False, "slug_field": "slug"}
    assert relation["artist_pk"] == {"renders": "pk", "many": False}
    assert relation["artist_link"] == {
        "renders": "url",
        "many": False,
        "view_name": "slugged-artist-detail",
        "lookup_field": "slug",
    }
    assert relation["artist_name"] == {"renders": "string", "many": False}
    assert properties["artist_name"]["read_only"] is True
    assert relation["artist_object"] == {"renders": "object", "many": False}
    assert relation["track_ids"] == {"renders": "pk", "many": True}
    assert relation["track_titles"] == {"renders": "slug", "many": True, "slug_field": "title"}
    assert relation["track_listing"] == {"renders": "custom", "many": True}
    assert relation["track_objects"] == {"renders": "object", "many": True}
    assert relation["tags"] == {"renders": "pk", "many": True}
    assert properties["tags"]["type"] == "many"  # the existing keys are unchanged
    tagged = api.options("/tagged_items/").json()["properties"]["tagged_object"]
    assert tagged["relation"] == {"renders": "generic", "many": False}


def test_a_nullable_foreign_key_is_not_required(api):
    properties = api.options("/albums/").json()["properties"]
    assert properties["artist"]["required"] is False
    assert properties["artist"]["nullable"] is True
    track = api.options("/tracks/").json()["properties"]["album"]
    assert track["required"] is True
    assert track["nullable"] is False


def test_dynamic_relations_infer_required_and_allow_null_from_the_model():
    from sk_testapp.serializers import ArtistSerializer, LinerNotesSerializer, TrackSerializer

    from server_kit import DynamicModelSerializer, DynamicRelationField

    class InferringAlbumSerializer(DynamicModelSerializer):
        artist = DynamicRelationField(ArtistSerializer)  # null=True
        tracks = DynamicRelationField(TrackSerializer, many=True)  # reverse
        liner_notes = DynamicRelationField(LinerNotesSerializer)  # reverse one-to-one
        strict = DynamicRelationField(ArtistSerializer, source="artist", required=True)

        class Meta:
            model = Album
            fields = ("id", "artist", "tracks", "liner_notes", "strict")

    fields = InferringAlbumSerializer.field_map()
    assert (fields["artist"].required, fields["artist"].allow_null) == (False, True)
    assert fields["tracks"].required is False
    assert fields["liner_notes"].required is False
    assert (fields["strict"].required, fields["strict"].allow_null) == (True, True)
    album = LinerNotesSerializer.field_map()["album"]  # a non-null foreign key
    assert (album.required, album.allow_null) == (True, False)


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize(
    "field",
    ["artist", "artist_name", "artist_object", "track_titles", "track_objects"],
)
def test_what_the_view_loaded_itself_is_not_loaded_again(
    api, django_assert_num_queries, rows, field
):
    make_albums(rows)
    # the root query (artists joined) and the view's own tracks prefetch, nothing more
    with django_assert_num_queries(2):
        response = api.get(f"/selected-albums/?per_page=100&{ONLY}{field}")
    assert response.status_code == 200, response.json()
    plain = api.get(f"/albums/?per_page=100&{ONLY}{field}").json()["albums"]
    assert response.json()["albums"] == plain


def test_a_slug_relation_is_written_by_its_slug_and_refuses_unknown_ones(api):
    make_albums(2)
    created = api.post("/albums/", {"album_name": "new", "artist": "artist-1"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["album"]["artist"] == "artist-1"
    assert Album.objects.get(album_name="new").artist.slug == "artist-1"
    refused = api.post("/albums/", {"album_name": "bad", "artist": "nobody"}, format="json")
    assert refused.status_code == 400
    assert "artist" in str(refused.json())
    assert not Album.objects.filter(album_name="bad").exists()
    cleared = api.patch(
        f"/albums/{created.json()['album']['id']}/", {"artist": None}, format="json"
    )
    assert cleared.status_code == 200, cleared.json()
    assert Album.objects.get(album_name="new").artist is None


def test_a_many_string_related_field_is_read_only_as_its_child(api):
    make_albums(2)
    field = api.options("/albums/").json()["properties"]["track_names"]
    assert (field["read_only"], field["required"]) == (True, False)
    sent = api.post("/albums/", {"album_name": "x", "track_names": ["1: a"]}, format="json")
    assert sent.status_code == 201, sent.json()
    assert sent.json()["album"]["track_names"] == []


def test_filter_and_sort_through_nested_serializers(api):
    albums = make_albums(6)
    track = Track.objects.filter(album=albums[3]).first()
    assert _ids(api.get(f"/albums/?filter{{track_objects.title}}={track.title}")) == [albums[3].pk]
    artist = albums[1].artist
    expected = sorted(artist.album_set.values_list("pk", flat=True))
    assert _ids(api.get(f"/albums/?filter{{artist_object.slug}}={artist.slug}")) == expected
    rows = api.get("/albums/?sort[]=-artist_object.name&filter{artist.isnull}=false").json()
    names = [Album.objects.get(pk=row["id"]).artist.name for row in rows["albums"]]
    assert names == sorted(names, reverse=True)
    # only what the nested serializer exposes
    hidden = api.get("/albums/?filter{track_objects.duration}=5")
    assert hidden.status_code == 400
    assert "'track_objects' has no field 'duration'" in str(hidden.json())
    flat = api.get("/albums/?filter{artist_link.name}=x")
    assert flat.status_code == 400
    assert "is not a relation to objects with fields" in str(flat.json())


def test_sort_and_quantify_through_a_generic_relation(api):
    albums = make_albums(3)
    TaggedItem.objects.filter(object_id=albums[1].pk).update(tag_name="a-first")
    rows = api.get("/albums/?sort[]=tags.tag_name").json()["albums"]
    assert rows[0]["id"] == albums[1].pk  # its smallest tag sorts first
    anyq = api.get("/albums/?where=any(tags,tag_name.eq('a-first'))")
    assert _ids(anyq) == [albums[1].pk]
    allq = api.get("/albums/?where=all(tags,tag_name.startswith('tag-'))")
    assert _ids(allq) == sorted(a.pk for a in albums if a != albums[1])


def test_relation_routes_of_a_generic_relation_and_a_reverse_one_to_one(api):
    albums = make_albums(2)
    album = albums[0]  # has liner notes
    tags = api.get(f"/albums/{album.pk}/tags/")
    assert tags.status_code == 200, tags.json()
    assert sorted(row["tag_name"] for row in tags.json()["tagged_items"]) == ["tag-0", "tag-1"]
    notes = api.get(f"/albums/{album.pk}/liner_notes/")
    assert notes.status_code == 200, notes.json()
    assert notes.json()["liner_notes"]["text"] == f"notes {album.pk}"


def test_a_plain_relation_queryset_limits_writes_not_reads(api):
    album = make_albums(2)[1]
    Artist.objects.filter(pk=album.artist_id).update(slug="retired-one")
    assert api.get(f"/albums/{album.pk}/").json()["album"]["artist"] == "retired-one"
    assert _ids(api.get("/albums/?filter{artist}=retired-one")) == [album.pk]
    refused = api.post("/albums/", {"album_name": "x", "artist": "retired-one"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "artist"
