"""R-MOD-3 in one place (issue 18): the one comparison "this ICANS grade withholds the infusion"
(core/rules/neuro_label.py ``icans_withholds``) moves the withhold prompt, the infusion guard and the neurological
event together when a site changes ``neuro.interrupt_icans_grade``; at the grade, and on both sides. R-MOD-4 likewise
(``icans_discontinues``): the grade now and the course's highest discontinue at the same protocol grade."""

from __future__ import annotations

import pytest

from core.rules.guard import ICANS_INTERRUPT, infusion_guard
from core.rules.neuro_label import icans_discontinues, icans_withholds
from core.state import fold
from tests.core.test_infusion_scenarios import DEFAULT, codes, cycle2_at_28, neuro
from tests.core.test_rule_words import site_file
from tests.scenario import Timeline, patient


@pytest.mark.parametrize(("interrupt_grade", "ice", "grade", "withholds"), [
    (3, 2, 3, True), (3, 6, 2, False),                    # the shipped protocol: grade 3 withholds, grade 2 does not
    (2, 2, 3, True), (2, 6, 2, True), (2, 8, 1, False),   # a site withholding from grade 2: above, at and below
    (4, 2, 3, False),                                     # a site withholding only at grade 4: grade 3 does not
])
def test_the_withhold_prompt_the_guard_and_the_event_move_with_the_interrupt_grade(tmp_path, interrupt_grade, ice,
                                                                                    grade, withholds):
    protocol = DEFAULT if interrupt_grade == 3 else site_file(tmp_path, {"interrupt_icans_grade": interrupt_grade})
    assert protocol.neuro.interrupt_icans_grade == interrupt_grade
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    neuro(tl, 30, ice)
    s = fold(patient(), tl.records, tl.at(30), protocol)
    assert s.icans.grade == grade
    assert icans_withholds(grade, protocol) is withholds
    assert codes(s).get("interrupt_infusion") == ("R-MOD-3" if withholds else None)
    guard = {r.code: r.rule for r in infusion_guard(s, protocol)}
    assert guard.get(ICANS_INTERRUPT) == ("R-MOD-3" if withholds else None)
    assert (s.infusion.neuro is not None) is withholds
    if withholds:
        assert (s.infusion.neuro.onset, s.infusion.neuro.dose_at_onset) == (tl.at(30), 28.0)


def test_no_icans_grade_withholds_nothing():
    assert icans_withholds(None, DEFAULT) is False


@pytest.mark.parametrize(("discontinue_grade", "discontinues"), [(4, False), (3, True)])
def test_the_grade_now_and_the_courses_highest_discontinue_at_the_same_protocol_grade(tmp_path, discontinue_grade,
                                                                                      discontinues):
    # R-MOD-4 in one place (neuro_label.icans_discontinues): a site discontinuing from grade 3 discontinues while the
    # grade is 3, and keeps saying so after it falls (the course reached it); the shipped protocol (4) does neither.
    protocol = DEFAULT if discontinue_grade == 4 else site_file(tmp_path, {"discontinue_icans_grade": 3})
    assert protocol.neuro.discontinue_icans_grade == discontinue_grade
    tl = Timeline()
    cycle2_at_28(tl, days=3)
    neuro(tl, 30, 2)                                      # ICE 2: ICANS grade 3
    now = fold(patient(), tl.records, tl.at(30), protocol)
    neuro(tl, 34, 10)                                     # ICE 10: the grade falls
    later = fold(patient(), tl.records, tl.at(34), protocol)
    assert (now.icans.grade, later.icans.grade) == (3, 0)
    assert icans_discontinues(3, protocol) is discontinues and icans_discontinues(2, protocol) is False
    assert codes(now).get("discontinue_permanently") == ("R-MOD-4" if discontinues else None)
    assert codes(later).get("discontinue_permanently") == ("R-MOD-4" if discontinues else None)
