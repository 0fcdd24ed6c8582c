"""PLACEHOLDER: replaced by the extraction work (issue 2): takes the metadata from the overrides."""

from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.model import ReportMeta


@Language.factory("report_metadata")
def make_component(nlp: Language, name: str) -> "Placeholder":
    return Placeholder()


class Placeholder:
    def __call__(self, doc: Doc) -> Doc:
        o = doc._.overrides or {}
        doc._.meta = ReportMeta(issuer=o.get("issuer", ""), year=int(o.get("year", 0)), title=o.get("title"))
        return doc
