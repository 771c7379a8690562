"""The catalogue of finding codes: each code is permanent, with its severity and meaning.

Formatters read it for SARIF rule metadata and ``policy check --list-rules``; checks call
:func:`finding` so a code's severity is declared here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Clause, Document, Finding, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str


_RULES = (
    # Reading a file
    Rule("file-unreadable", E, "The file cannot be read as UTF-8 text."),
    Rule("file-empty", E, "The file is empty."),
    Rule("document-missing", E, "A declared document has no file in this locale."),
    Rule("document-undeclared", W, "A Markdown file is not a declared document."),
    Rule("front-matter-invalid", E, "The YAML front matter is missing, unclosed or invalid."),
    Rule("front-matter-title", E, "The front matter has no title."),
    Rule("heading-malformed", E, "A clause heading is not '## <number>. <title> {#<id>}'."),
    Rule("heading-level", E, "A heading is not a clause (##) or sub-clause (###) heading."),
    Rule("clause-id-invalid", E, "A clause id is not lowercase ASCII letters, digits, hyphens."),
    Rule("clause-id-duplicate", E, "Two clauses of one document share an id."),
    # Structure against the source
    Rule("clause-missing", E, "A clause of the source is missing in the translation."),
    Rule("clause-extra", E, "The translation has a clause the source does not have."),
    Rule("clause-order", E, "A clause stands elsewhere in the translation than in the source."),
    Rule("clause-nesting", E, "A clause has another parent in the translation than in the source."),
    Rule("preamble-missing", E, "The source has a preamble the translation lacks."),
    Rule("preamble-extra", E, "The translation has a preamble the source lacks."),
    Rule("list-items", E, "A clause has a different number of list items than its source."),
    Rule("table-rows", E, "A clause has a different number of table rows than its source."),
    # Numbering
    Rule("numbering-sequence", E, "Clause numbers skip, repeat or do not follow their parent."),
    Rule("number-mismatch", E, "A clause has another number than the same clause in the source."),
    # Facts
    Rule("fact-email", E, "An e-mail address differs between source and translation."),
    Rule("fact-url", E, "A web address differs between source and translation."),
    Rule("fact-phone", E, "A phone number differs between source and translation."),
    Rule("fact-date", E, "A date differs between source and translation."),
    Rule("fact-number", E, "A number differs between source and translation."),
    Rule("fact-code", E, "A code holding digits (company number, postcode…) differs."),
    Rule("fact-term", E, "A protected term is missing or added in the translation."),
    Rule("fact-identifier", W, "A name kept as written elsewhere (PartnerView, WINT) is "
         "missing or altered."),
    # Addresses
    Rule("address-mismatch", E, "An address differs between source and translation."),
    Rule("address-missing", E, "The source gives an address the translation lacks."),
    Rule("address-extra", E, "The translation gives an address the source lacks."),
    Rule("address-inconsistent", E, "One document writes the same address two ways."),
    # Cross-references
    Rule("xref-broken", E, "A link points at a clause anchor that does not exist."),
    Rule("xref-mismatch", E, "A translated clause links elsewhere than its source clause."),
    Rule("xref-number", E, "A reference names another number than the clause it links to."),
    Rule("xref-unlinked", W, "A textual reference to a clause is not a link."),
    # Completeness
    Rule("paragraphs-missing", W, "A translated clause has fewer paragraphs than its source."),
    Rule("sentences-missing", W, "A translated paragraph has fewer sentences than its source."),
    Rule("length-outlier", W, "A translated clause is far shorter or longer than expected."),
    # Versions
    Rule("archive-modified", E, "An archived file was edited after its release."),
    Rule("archive-missing", E, "An archived file of a release is missing."),
    Rule("archive-unexpected", E, "The archive holds a file no release lists."),
    Rule("translation-stale", W, "The source clause changed since its translation was confirmed."),
    Rule("translation-unconfirmed", N, "Translated clauses never confirmed against the source."),
    # Baseline
    Rule("baseline-stale", N, "A baseline entry no longer occurs: remove it."),
    Rule("baseline-reason", W, "A baseline entry gives no reason for accepting its finding."),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def finding(code: str, doc: Document, message: str, *, clause: Clause | str | None = None,
            line: int | None = None, source: str | None = None,
            translation: str | None = None, key: str = "") -> Finding:
    """A finding of ``code`` in ``doc``; the line defaults to the clause heading's."""
    clause_id = clause.id if isinstance(clause, Clause) else clause
    if line is None and isinstance(clause, Clause):
        line = clause.line
    return Finding(code=code, severity=RULES[code].severity, message=message,
                   document=doc.name, locale=doc.locale, file=doc.path, line=line,
                   clause=clause_id, source=source, translation=translation, key=key)
