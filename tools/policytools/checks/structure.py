"""Structure and numbering: clauses present, in order, nested and numbered like the source."""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

from ..model import Block, Clause, Finding
from ..rules import finding
from .registry import Pair, View, document_check, pair_check


@pair_check("clause-missing", "clause-extra", "clause-order", "clause-nesting")
def clauses_present(pair: Pair) -> Iterator[Finding]:
    """Every source clause exists in the translation and the translation adds none."""
    if not pair.target.complete:
        return  # the heading findings already say what is wrong; alignment would mislead
    src, tgt, doc = pair.source.doc, pair.target.doc, pair.doc
    sname, tname = pair.source.name, pair.target.name
    for i, clause in enumerate(src.numbered()):
        if tgt.clause(clause.id) is None:
            later = [c for c in list(src.numbered())[i + 1:] if tgt.clause(c.id)]
            anchor = tgt.clause(later[0].id) if later else None
            where = f"before {anchor.label}" if anchor else "at the end"
            yield finding(
                "clause-missing", doc, f"{clause.label} ‘{clause.title}’ of {sname} is missing "
                f"in {tname}: translate it and insert it {where} with id {{#{clause.id}}}",
                clause=clause.id, line=anchor.line if anchor else tgt.end_line,
                source=f"§{clause.number} {clause.title}", key=clause.id)
    for clause in tgt.numbered():
        if src.clause(clause.id) is None:
            yield finding(
                "clause-extra", doc, f"{clause.label} ‘{clause.title}’ is not in {sname}: "
                "remove it, or give it the id of the source clause it translates",
                clause=clause, translation=f"§{clause.number} {clause.title}", key=clause.id)
    s_ids = [c.id for c in src.numbered() if tgt.clause(c.id)]
    t_ids = [c.id for c in tgt.numbered() if src.clause(c.id)]
    kept = {x for block in SequenceMatcher(a=s_ids, b=t_ids, autojunk=False).get_matching_blocks()
            for x in s_ids[block.a:block.a + block.size]}
    for cid in t_ids:
        if cid not in kept:
            s_at = s_ids.index(cid)
            before = f"after {src.by_id[s_ids[s_at - 1]].label}" if s_at else "first"
            clause = tgt.by_id[cid]
            yield finding("clause-order", doc, f"{clause.label} stands elsewhere than in "
                          f"{sname}, where it comes {before}: move it", clause=clause,
                          key=cid)
    for s_clause, t_clause in pair.shared():
        if s_clause.parent != t_clause.parent:
            yield finding(
                "clause-nesting", doc, f"{t_clause.label} is nested under "
                f"{t_clause.parent or 'no clause'} but under {s_clause.parent or 'no clause'} "
                f"in {sname}", clause=t_clause, source=s_clause.parent or "",
                translation=t_clause.parent or "", key=f"{s_clause.parent}>{t_clause.parent}")


@pair_check("preamble-missing", "preamble-extra")
def preamble(pair: Pair) -> Iterator[Finding]:
    """The preamble exists on both sides or on neither."""
    s = pair.source.doc.clause("preamble")
    t = pair.target.doc.clause("preamble")
    if s and not t:
        first = next(iter(pair.target.doc.clauses), None)
        yield finding("preamble-missing", pair.doc, f"{pair.source.name} has a preamble before "
                      f"the first clause and {pair.target.name} has none: translate it",
                      clause="preamble", line=first.line if first else 1, key="preamble")
    elif t and not s:
        yield finding("preamble-extra", pair.doc, f"{pair.target.name} has a preamble that "
                      f"{pair.source.name} does not have: remove it or add it to the source",
                      clause=t, key="preamble")


def _counts(blocks: tuple[Block, ...]) -> list[int]:
    return [len(b.items) for b in blocks]


@pair_check("list-items", "table-rows")
def items_and_rows(pair: Pair) -> Iterator[Finding]:
    """Lists have as many items, tables as many rows, as in the source clause."""
    for s_clause, t_clause in pair.shared():
        for kind, code, noun in (("list", "list-items", "item"), ("table", "table-rows", "row")):
            s_blocks, t_blocks = s_clause.blocks_of(kind), t_clause.blocks_of(kind)  # type: ignore[arg-type]
            s_n, t_n = _counts(s_blocks), _counts(t_blocks)
            if s_n == t_n:
                continue
            if len(s_n) == len(t_n):
                for i, (a, b) in enumerate(zip(s_n, t_n, strict=True)):
                    if a != b:
                        yield finding(
                            code, pair.doc, f"{_nth(i, len(s_n), kind)} of {t_clause.label} has "
                            f"{_n(b, noun)} where {pair.source.name} has {a}",
                            clause=t_clause, line=t_blocks[i].line, source=str(a),
                            translation=str(b), key=f"{i}:{a}:{b}")
            else:
                yield finding(
                    code, pair.doc, f"{t_clause.label} has {_shape(t_n, kind, noun)} where "
                    f"{pair.source.name} has {_shape(s_n, kind, noun)}", clause=t_clause,
                    line=t_blocks[0].line if t_blocks else None, source=_list_counts(s_n),
                    translation=_list_counts(t_n), key=f"{s_n}:{t_n}")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _nth(i: int, total: int, kind: str) -> str:
    return f"the {kind}" if total == 1 else f"{kind} {i + 1}"


def _list_counts(counts: list[int]) -> str:
    return ", ".join(map(str, counts)) or "none"


def _shape(counts: list[int], kind: str, noun: str) -> str:
    if not counts:
        return f"no {kind}"
    tables = f"{len(counts)} {kind}{'' if len(counts) == 1 else 's'}"
    return f"{tables} of {' and '.join(map(str, counts))} {noun}s"


@document_check("numbering-sequence")
def numbering(view: View) -> Iterator[Finding]:
    """Clause numbers run 1, 2, 3… and sub-clauses n.1, n.2… under their parent."""
    expected: dict[str | None, int] = {}
    numbers: dict[str, str] = {}
    for clause in view.doc.numbered():
        if clause.level == 3 and clause.parent is None:
            yield finding("numbering-sequence", view.doc, f"{clause.label} is a sub-clause (###) "
                          "before the first clause (##): make it a clause or move it under one",
                          clause=clause, key=f"orphan:{clause.number}")
            continue
        level = clause.parent if clause.level == 3 else None
        if clause.number is None:
            expected[level] = expected.get(level, 1) + 1  # it holds a place: the next is no skip
            continue
        parent_no = numbers.get(clause.parent or "") if clause.level == 3 else None
        if clause.level == 3 and parent_no is None:
            continue  # the parent heading has no number: heading-malformed already says so
        prefix, _, last = clause.number.rpartition(".")
        want = expected.get(level, 1)
        wanted = f"{parent_no}.{want}" if clause.level == 3 else str(want)
        if clause.level == 3 and prefix != parent_no:
            yield finding("numbering-sequence", view.doc, f"{clause.label} is under "
                          f"§{parent_no} but numbered {clause.number}: number it {wanted}",
                          clause=clause, key=f"parent:{clause.number}")
        elif clause.level == 2 and prefix:
            yield finding("numbering-sequence", view.doc, f"{clause.label} is a top-level clause "
                          f"(##) with a sub-clause number: number it {wanted}", clause=clause,
                          key=f"level:{clause.number}")
        elif int(last) != want:
            problem = (f"skips {wanted}" if int(last) > want else
                       "is the first clause" if want == 1 and clause.level == 2 else
                       f"is the first sub-clause of §{parent_no}" if want == 1 else
                       "repeats the number before it" if int(last) == want - 1 else
                       f"comes after §{numbers['-']}" if "-" in numbers else
                       "comes after a clause without a number")
            yield finding("numbering-sequence", view.doc, f"{clause.label} {problem}: "
                          f"expected {wanted}", clause=clause, key=f"{wanted}:{clause.number}")
        expected[level] = int(last) + 1
        numbers[clause.id] = clause.number
        numbers["-"] = clause.number


@pair_check("number-mismatch")
def numbers_match(pair: Pair) -> Iterator[Finding]:
    """The same clause has the same number in source and translation (one finding per run)."""
    run: list[tuple[Clause, Clause]] = []
    for s_clause, t_clause in pair.shared():
        if s_clause.is_preamble or s_clause.number == t_clause.number:
            yield from _number_run(pair, run)
            run = []
        elif run and _offset(*run[-1]) != _offset(s_clause, t_clause):
            yield from _number_run(pair, run)
            run = [(s_clause, t_clause)]
        else:
            run.append((s_clause, t_clause))
    yield from _number_run(pair, run)


def _offset(s_clause: Clause, t_clause: Clause) -> str:
    """How far the clause number moved: '-1' for §4→§3 and for §4.1→§3.1 alike."""
    s_head, _, s_tail = (s_clause.number or "").partition(".")
    t_head, _, t_tail = (t_clause.number or "").partition(".")
    if s_tail == t_tail and s_head.isdigit() and t_head.isdigit():
        return str(int(t_head) - int(s_head))
    return f"{s_clause.number}>{t_clause.number}"


def _number_run(pair: Pair, run: list[tuple[Clause, Clause]]) -> Iterator[Finding]:
    if not run:
        return
    (s_first, t_first), (s_last, t_last) = run[0], run[-1]
    sname = pair.source.name
    src_nums = f"§{s_first.number}" + (f"–§{s_last.number}" if len(run) > 1 else "")
    tgt_nums = f"§{t_first.number}" + (f"–§{t_last.number}" if len(run) > 1 else "")
    ids = t_first.id + (f" … {t_last.id}" if len(run) > 1 else "")
    cause = _cause(pair, s_first)
    yield finding(
        "number-mismatch", pair.doc,
        f"{'clause' if len(run) == 1 else f'{len(run)} clauses'} ({ids}) numbered {tgt_nums} "
        f"here but {src_nums} in {sname}{cause}: renumber to match the source",
        clause=t_first, source=src_nums, translation=tgt_nums,
        key=f"{_offset(s_first, t_first)}:{s_last.id}")


def _cause(pair: Pair, first: Clause) -> str:
    """Name the missing clause that shifted the numbers, when there is one."""
    missing = [c.id for c in pair.source.doc.numbered()
               if c.line < first.line and pair.target.doc.clause(c.id) is None]
    return f", because {', '.join(missing)} is missing" if missing else ""
