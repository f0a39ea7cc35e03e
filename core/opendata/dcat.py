"""The DCAT-AP.de catalogue of the website's editions (``catalog.ttl`` in the site's root).

One ``dcat:Catalog`` published by the publisher (a ``foaf:Organization``), one ``dcat:Dataset``
per published edition on the site, one ``dcat:Distribution`` per file of that edition (JSON,
CSV, XLSX, PDF, DOCX and the HTML pages), each with its licence, format and media type, so
GovData and Open.NRW can harvest it (DCAT-AP.de 2.0, the German profile of DCAT-AP 2.0).

Addresses: with ``SITE_URL`` set every address is absolute; without it the file carries no
``@base`` and its addresses are relative to ``catalog.ttl`` itself, which a harvester resolves
against the address it fetched the catalogue from (the site's links are relative too).

rdflib is imported here only, and this module only when a catalogue is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from core import texts
from core.config import Publisher
from core.dates import format_day
from core.opendata.license import OpenData

CATALOG_FILE = "catalog.ttl"

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEMES = (URIRef(EU + "data-theme/GOVE"), URIRef(EU + "data-theme/ENVI"))
THEME_TAXONOMY = URIRef(EU + "data-theme")
GERMAN = URIRef(EU + "language/DEU")
DISTRICT = "http://dcat-ap.de/def/politicalGeocoding/districtKey/"
DISTRICT_LEVEL = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict")
IANA = "https://www.iana.org/assignments/media-types/"
KEYWORDS = texts.DCAT_KEYWORDS

_TITLES = texts.DCAT_DISTRIBUTION_TITLES

#: Per format: the EU file-type, the IANA media type and the distribution's German title.
FORMATS: dict[str, tuple[str, str, str]] = {
    "json": ("JSON", "application/json", _TITLES["json"]),
    "csv": ("CSV", "text/csv", _TITLES["csv"]),
    "xlsx": (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _TITLES["xlsx"],
    ),
    "pdf": ("PDF", "application/pdf", _TITLES["pdf"]),
    "docx": (
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _TITLES["docx"],
    ),
    "html": ("HTML", "text/html", _TITLES["html"]),
}

#: Stands in for the site's address while the graph is built without ``SITE_URL``.
_PLACEHOLDER = "http://nhr-site.invalid/"


@dataclass(frozen=True)
class CatalogFile:
    """A file of an edition on the site."""

    fmt: str  # a key of FORMATS
    href: str  # relative to the site root


@dataclass(frozen=True)
class CatalogEdition:
    """A published edition on the site and its files."""

    cutoff: date
    published: date  # the day it was published (the cutoff for an imported edition)
    files: tuple[CatalogFile, ...]


def catalog_graph(
    editions: Sequence[CatalogEdition],
    publisher: Publisher,
    open_data: OpenData,
    *,
    modified: date,
    schema_href: str | None = None,
) -> Graph:
    """The catalogue as an RDF graph (addresses under the site's address or a placeholder)."""
    base = _base(open_data)
    doc = base + CATALOG_FILE
    lic = open_data.license
    license_ref = URIRef(lic.uri)
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vcard", VCARD)
    g.bind("dcatde", DCATDE)

    agent = URIRef(doc + "#herausgeber")
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(publisher.name, lang="de")))
    g.add((agent, FOAF.homepage, URIRef(publisher.url)))

    contact = URIRef(doc + "#kontakt")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal(publisher.name, lang="de")))
    g.add((contact, VCARD.hasURL, URIRef(publisher.url)))
    if open_data.contact_email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{open_data.contact_email}")))

    catalog = URIRef(doc + "#katalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add(
        (
            catalog,
            DCTERMS.title,
            Literal(texts.DCAT_CATALOG_TITLE.format(name=publisher.name), lang="de"),
        )
    )
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(texts.DCAT_CATALOG_DESCRIPTION.format(genitive=publisher.genitive), lang="de"),
        )
    )
    g.add((catalog, DCTERMS.publisher, agent))
    g.add((catalog, FOAF.homepage, URIRef(base + "index.html")))
    g.add((catalog, DCTERMS.language, GERMAN))
    g.add((catalog, DCTERMS.license, license_ref))
    g.add((catalog, DCAT.themeTaxonomy, THEME_TAXONOMY))
    g.add((catalog, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.date)))
    if editions:
        first = min(e.published for e in editions)
        g.add((catalog, DCTERMS.issued, Literal(first.isoformat(), datatype=XSD.date)))

    for ed in sorted(editions, key=lambda e: e.cutoff, reverse=True):
        stand = format_day(ed.cutoff)
        key = f"ausgabe-{ed.cutoff.isoformat()}"
        ds = URIRef(f"{doc}#{key}")
        g.add((catalog, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add(
            (
                ds,
                DCTERMS.title,
                Literal(
                    texts.DCAT_DATASET_TITLE.format(name=publisher.name, stand=stand), lang="de"
                ),
            )
        )
        g.add(
            (
                ds,
                DCTERMS.description,
                Literal(
                    texts.DCAT_DATASET_DESCRIPTION.format(genitive=publisher.genitive, stand=stand),
                    lang="de",
                ),
            )
        )
        g.add(
            (
                ds,
                DCTERMS.identifier,
                Literal(
                    f"{doc}#{key}" if open_data.site_url else f"nachhaltigkeitsreport-{ed.cutoff}"
                ),
            )
        )
        g.add((ds, DCTERMS.issued, Literal(ed.published.isoformat(), datatype=XSD.date)))
        g.add((ds, DCTERMS.modified, Literal(ed.published.isoformat(), datatype=XSD.date)))
        g.add((ds, DCTERMS.publisher, agent))
        g.add((ds, DCAT.contactPoint, contact))
        g.add((ds, DCTERMS.language, GERMAN))
        for word in (*KEYWORDS, publisher.name):
            g.add((ds, DCAT.keyword, Literal(word, lang="de")))
        for theme in THEMES:
            g.add((ds, DCAT.theme, theme))
        g.add((ds, DCATDE.contributorID, URIRef(open_data.contributor_id)))
        g.add((ds, DCATDE.politicalGeocodingURI, URIRef(DISTRICT + open_data.district_key)))
        g.add((ds, DCATDE.politicalGeocodingLevelURI, DISTRICT_LEVEL))
        g.add((ds, DCTERMS.spatial, URIRef(DISTRICT + open_data.district_key)))
        period = BNode()
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.endDate, Literal(ed.cutoff.isoformat(), datatype=XSD.date)))
        for f in ed.files:
            file_type, media_type, title = FORMATS[f.fmt]
            dist = URIRef(f"{doc}#{key}-{f.fmt}")
            url = URIRef(base + f.href)
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(title, lang="de")))
            g.add(
                (
                    dist,
                    DCTERMS.description,
                    Literal(
                        texts.DCAT_DISTRIBUTION_DESCRIPTION.format(
                            title=title, stand=stand, license=lic.name
                        ),
                        lang="de",
                    ),
                )
            )
            g.add((dist, DCAT.accessURL, url))
            if f.fmt == "html":
                g.add((ds, DCAT.landingPage, url))
            else:
                g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCTERMS.format, URIRef(EU + "file-type/" + file_type)))
            g.add((dist, DCAT.mediaType, URIRef(IANA + media_type)))
            g.add((dist, DCTERMS.license, license_ref))
            if lic.attribution_required:
                g.add(
                    (
                        dist,
                        DCATDE.licenseAttributionByText,
                        Literal(lic.attribution(publisher, ed.cutoff), lang="de"),
                    )
                )
            g.add((dist, DCTERMS.issued, Literal(ed.published.isoformat(), datatype=XSD.date)))
            if f.fmt == "json" and schema_href is not None:
                g.add((dist, DCTERMS.conformsTo, URIRef(base + schema_href)))
    return g


def catalog_turtle(
    editions: Sequence[CatalogEdition],
    publisher: Publisher,
    open_data: OpenData,
    *,
    modified: date,
    schema_href: str | None = None,
) -> str:
    """The catalogue as Turtle: absolute addresses with ``SITE_URL``, else relative ones."""
    graph = catalog_graph(
        editions, publisher, open_data, modified=modified, schema_href=schema_href
    )
    base = _base(open_data)
    text = graph.serialize(format="turtle")
    if open_data.site_url:
        return text
    # every address relative to the catalogue itself: no @base, the placeholder taken out
    return text.replace(f"<{base}", "<")


def _base(open_data: OpenData) -> str:
    if not open_data.site_url:
        return _PLACEHOLDER
    return open_data.site_url.rstrip("/") + "/"
