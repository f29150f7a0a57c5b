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
    ("track_ids", 1),  # ManyRelatedField of PrimaryKeyRelatedField
    ("track_titles", 1),  # SlugRelatedField(many=True)
    ("track_names", 1),  # StringRelatedField(many=True)
    ("track_listing", 1),  # custom RelatedField subclass (many)
    ("track_objects", 1),  # nested serializer (many)
    ("tag_names", 1),  # SlugRelatedField(many=True) through a GenericRelation
    ("tags", 1),  # DynamicRelationField through a GenericRelation
    ("liner_notes", 1),  # DynamicRelationField, reverse one-to-one
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
def test_generic_foreign_keys_cost_one_query_per_content_type(
    api, django_assert_num_queries, rows
):
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
    expected = {a.pk: sorted(a.album_set.values_list("pk", flat=True)) for a in Artist.objects.all()}
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
        {"album_name": "new", "tracks": [{"order": 1, "title": "one"}, {"order": 2, "title": "two"}]},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    assert [t["title"] for t in posted.json()["album"]["tracks"]] == ["one", "two"]
    assert list(Album.objects.get(album_name="new").tracks.values_list("title", flat=True)) == [
        "one",
        "two",
    ]
