"""The catalogue of finding codes: each code is permanent, with its severity and meaning.

Each code names the check that raises it and the preconditions under which that check runs
(``policy rules`` shows them); the check modules name their codes when they register
(``checks.registry``), and a test holds both in step. Formatters read it for SARIF rule
metadata; checks call :func:`finding` so a code's severity is declared here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Clause, Document, Finding, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Rule:
    """A finding code: its severity, what it means, the check that raises it, and what
    must hold before that check runs (so one root cause gives one finding)."""

    code: str
    severity: Severity
    summary: str
    check: str  # 'module.function' of the check (or reader) that raises it
    preconditions: tuple[str, ...] = ()


READ = "the file is read"
BOTH = "source and translation are read"
ALIGNED = "every heading of the translation is read, so clauses align by id"
SHARED = "the clause exists in both"
SITE = "mkdocs.yml publishes the policy (its plugins include policy)"
MASKED = "outside addresses, protected terms, web and e-mail addresses and clause references"

_RULES = (
    # Reading a file
    Rule("file-unreadable", E, "The file cannot be read: not a regular file, over 10 MB, not "
         "UTF-8, or nested too deep.", "parse.read_document"),
    Rule("markup-unparsed", W, "The Markdown parser fails on a paragraph; it was read with "
         "its backticks as text.", "parse.read_document"),
    Rule("file-empty", E, "The file is empty.", "parse.read_document"),
    Rule("text-control-character", E, "The text holds a control character no reader sees "
         "(U+000B, Word's pasted line break…).", "parse.read_document"),
    Rule("document-missing", E, "A declared document has no file in this locale.",
         "runner.run_checks"),
    Rule("document-undeclared", W, "A Markdown file is not a declared document, or not one "
         "its locale publishes.",
         "runner.run_checks"),
    Rule("front-matter-invalid", E, "The YAML front matter is missing, unclosed or invalid.",
         "parse.read_document", (READ,)),
    Rule("front-matter-title", E, "The front matter has no title.", "parse.read_document",
         (READ,)),
    Rule("heading-malformed", E, "A clause heading is not '## <number>. <title> {#<id>}'.",
         "parse.read_document", (READ,)),
    Rule("heading-level", E, "A heading is not a clause (##) or sub-clause (###) heading.",
         "parse.read_document", (READ,)),
    Rule("clause-id-invalid", E, "A clause id is not lowercase ASCII letters, digits, hyphens.",
         "parse.read_document", (READ,)),
    Rule("clause-id-duplicate", E, "Two clauses of one document share an id.",
         "parse.read_document", (READ,)),
    # Structure against the source
    Rule("clause-missing", E, "A clause of the source is missing in the translation.",
         "structure.clauses_present", (BOTH, ALIGNED)),
    Rule("clause-extra", E, "The translation has a clause the source does not have.",
         "structure.clauses_present", (BOTH, ALIGNED)),
    Rule("clause-order", E, "A clause stands elsewhere in the translation than in the source.",
         "structure.clauses_present", (BOTH, ALIGNED)),
    Rule("clause-nesting", E, "A clause has another parent in the translation than in the "
         "source.", "structure.clauses_present", (BOTH, ALIGNED)),
    Rule("preamble-missing", E, "The source has a preamble the translation lacks.",
         "structure.preamble", (BOTH,)),
    Rule("preamble-extra", E, "The translation has a preamble the source lacks.",
         "structure.preamble", (BOTH,)),
    Rule("list-items", E, "A clause has a different number of list items than its source.",
         "structure.items_and_rows", (BOTH, SHARED)),
    Rule("table-rows", E, "A clause has a different number of table rows than its source.",
         "structure.items_and_rows", (BOTH, SHARED)),
    # Numbering
    Rule("numbering-sequence", E, "Clause numbers skip, repeat or do not follow their parent.",
         "structure.numbering", (READ,)),
    Rule("number-mismatch", E, "A clause has another number than the same clause in the "
         "source.", "structure.numbers_match", (BOTH, SHARED, "one finding per run of clauses "
                                                "numbered off by the same cause")),
    # Facts
    Rule("fact-email", E, "An e-mail address differs between source and translation.",
         "facts.facts_match", (BOTH, SHARED)),
    Rule("fact-url", E, "A web address differs between source and translation.",
         "facts.facts_match", (BOTH, SHARED)),
    Rule("fact-phone", E, "A phone number differs between source and translation.",
         "facts.facts_match", (BOTH, SHARED)),
    Rule("fact-date", E, "A date differs between source and translation.",
         "facts.facts_match", (BOTH, SHARED)),
    Rule("fact-number", E, "A number differs between source and translation.",
         "facts.facts_match", (BOTH, SHARED, MASKED, "a number in words is a finding only "
                                                     "where it replaces another number")),
    Rule("fact-code", E, "A code holding digits (company number, postcode…) differs.",
         "facts.facts_match", (BOTH, SHARED, MASKED)),
    Rule("fact-term", E, "A protected term is missing or added in the translation.",
         "facts.facts_match", (BOTH, SHARED, "outside addresses")),
    Rule("fact-identifier", W, "A name translations keep as written (PartnerView, WINT) is "
         "missing or altered.", "facts.facts_match", (
             BOTH, SHARED, MASKED, "not a declared term, nor listed in not_terms",
             "a word in capitals that the document also writes in small letters is emphasis",
             "an abbreviation that languages translate (GDPR, EEA, UK…) may be missing or "
             "replaced")),
    # Markup
    Rule("markup-html", E, "A text holds raw HTML, an HTML comment or an attribute list; only "
         "plain inline tags without attributes (<b>, <br>, <sup>…) are allowed.",
         "markup.markup_safe", (READ, "code spans and code blocks too: the site's Markdown "
                                "and the checks' parser disagree on where code ends")),
    Rule("markup-link", E, "A link, image or reference points at a scheme other than http, "
         "https, mailto or tel (javascript:, data:…), as a browser reads it.", "markup.markup_safe",
         (READ,)),
    # Addresses
    Rule("address-mismatch", E, "An address differs between source and translation.",
         "addresses.addresses_match", (BOTH, SHARED)),
    Rule("address-missing", E, "The source gives an address the translation lacks.",
         "addresses.addresses_match", (BOTH, SHARED)),
    Rule("address-extra", E, "The translation gives an address the source lacks.",
         "addresses.addresses_match", (BOTH, SHARED)),
    Rule("address-inconsistent", E, "One document writes the same address two ways.",
         "addresses.addresses_consistent", (READ, "the source only: a translation's "
                                            "addresses are held to its source")),
    # Cross-references
    Rule("xref-broken", E, "A link points at a clause anchor that does not exist.",
         "xrefs.links_resolve", (READ,)),
    Rule("xref-mismatch", E, "A translated clause links elsewhere than its source clause.",
         "xrefs.links_match", (BOTH, SHARED)),
    Rule("xref-number", E, "A reference names another number than the clause it links to.",
         "xrefs.links_resolve", (READ,)),
    Rule("xref-unlinked", W, "A textual reference to a clause is not a link.",
         "xrefs.links_resolve", (READ,)),
    # Completeness
    Rule("paragraphs-missing", W, "A translated clause has fewer paragraphs than its source.",
         "completeness.complete", (BOTH, SHARED)),
    Rule("sentences-missing", W, "A translated paragraph has fewer sentences than its source.",
         "completeness.complete", (BOTH, SHARED, "the clause has as many paragraphs as its "
                                   "source", "the paragraph is shorter than expected")),
    Rule("length-outlier", W, "A translated clause is far shorter or longer than expected.",
         "completeness.complete", (BOTH, SHARED, "the source clause is not a short one")),
    # Versions
    Rule("archive-modified", E, "An archived file was edited after its release.",
         "archive.archive_intact"),
    Rule("archive-missing", E, "An archived file of a release is missing.",
         "archive.archive_intact"),
    Rule("archive-unreadable", E, "An archived file of a release cannot be read.",
         "archive.archive_intact"),
    Rule("archive-unexpected", E, "The archive holds a file no release lists.",
         "archive.archive_intact"),
    Rule("release-unfinished", E, "An interrupted release left files: policy recover removes "
         "them.", "archive.archive_intact"),
    Rule("rename-unfinished", E, "An interrupted policy rename-clause left texts half renamed: "
         "policy recover finishes it.", "archive.archive_intact"),
    Rule("write-unfinished", W, "An interrupted write left a temporary file under policy/.",
         "archive.archive_intact"),
    Rule("ledger-notice", E, "A material change takes effect before the notice it owes "
         "(notice_days in policy.yml) has run.", "ledger.entries_keep_the_rules", (
             "the ledger is read", "a text published for the first time owes no notice",
             "an editorial correction of an announced material change keeps its date")),
    Rule("ledger-retroactive", E, "A release takes effect before its release date without a "
         "reason, or gives one without doing so.", "ledger.entries_keep_the_rules",
         ("the ledger is read",)),
    Rule("translation-stale", W, "The source clause changed since its translation was "
         "confirmed.", "stale.up_to_date", (BOTH, SHARED, "policy/confirmed.yml is read")),
    Rule("translation-untranslated", E, "A translated clause holds its source's text, or "
         "running text in another language than its locale's.", "untranslated.translated",
         (BOTH, SHARED, "paragraphs and list items of at least 40 letters once addresses, "
          "tables, e-mail and web addresses, numbers, terms and names are left out",
          "another language only when clearly identified, among the project's languages")),
    Rule("translation-unconfirmed", N, "Translated clauses never confirmed against the source.",
         "stale.up_to_date", (BOTH, "policy/confirmed.yml is read")),
    # Locales and the site's words
    Rule("locale-undeclared", E, "A folder of locales/ is not a declared locale.",
         "locales.locales_declared", ("folders whose name starts with a dot are not locales",)),
    Rule("site-strings-missing", E, "A declared locale of the site has no site.yml.",
         "locales.site_strings_valid", (SITE,)),
    Rule("site-strings-invalid", E, "A site.yml cannot be read, misses a key the site uses, "
         "or holds a value that is not text or has an unknown placeholder.",
         "locales.site_strings_valid", (SITE, "the file exists")),
    Rule("site-strings-unknown", W, "A site.yml has a key the site does not use.",
         "locales.site_strings_valid", (SITE, "the file is read as a mapping")),
    Rule("site-strings-untranslated", E, "A text of a translation's site.yml is still the "
         "source's: its pages would show the source's words.",
         "locales.site_strings_translated", (SITE, "both files are read as mappings",
                                             "texts holding a letter")),
    # Baseline
    Rule("baseline-stale", N, "A baseline entry no longer occurs: remove it.", "baseline.judge",
         ("every locale and document of the entry was checked",)),
    Rule("baseline-reason", W, "A baseline entry gives no reason for accepting its finding.",
         "baseline.judge"),
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
