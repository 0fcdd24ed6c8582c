"""What each rule file in `schema/patterns/` may hold: one dataclass per file, one field per key.

`patterns.load_patterns` checks every file against its dataclass when a component starts, so a key
mistyped in the JSON (or a key the code no longer reads, or a value of the wrong type) stops the
pipeline at start-up with the file and the key named, instead of a rule that silently never fires.
What a key means is said next to it in the JSON file (the `_<key>` entries).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProgramPattern:
    """One unquoted program shape of `entity_rules.program_patterns` (the JSON's `_program_patterns`
    says how each option is read): a whole-name `re` or an `anchor_re` head word, not both."""

    name: str
    re: str | None = None
    anchor_re: str | None = None
    requires: str = ""
    reach: int | None = None
    before: int | None = None
    modifiers: tuple[str, ...] = ()
    after_place: bool = False
    place_inside: bool = False
    window: bool = False
    after_places: bool = False
    after_units: bool = False
    follows: tuple[str, ...] | None = None
    min_body: int = 2
    max_body: int | None = None
    bad_bodies: tuple[str, ...] = ()
    body_re: str = ""
    drop_head: bool = False
    kind: str = "Program"

    def __post_init__(self) -> None:
        if (self.re is None) == (self.anchor_re is None):
            raise ValueError(f"program pattern {self.name!r} needs exactly one of 're' and 'anchor_re'")


@dataclass(frozen=True)
class HeadingStyle:
    """One numbering style of `report_structure.heading_styles` (一、 (一) 1. …), outermost first."""

    name: str
    marker: str
    top: bool
    wraps: bool = False


@dataclass(frozen=True)
class EntityRulesFile:
    """`schema/patterns/entity_rules.json` (read by the `entity_rules` component)."""

    name_chars_re: str
    max_name_chars: int
    left_stops: tuple[str, ...]
    conjunctions: tuple[str, ...]
    conjunction_min_rest: int
    conjunction_name_ends: tuple[str, ...]
    allowed_before_de: str
    stops_kept_before_head: tuple[str, ...]
    year_prefix_re: str
    generic_level_prefixes: tuple[str, ...]
    unit_heads: tuple[str, ...]
    center_heads: tuple[str, ...]
    committee_heads: tuple[str, ...]
    office_heads: tuple[str, ...]
    body_heads: tuple[str, ...]
    center_blocked_after: tuple[str, ...]
    center_function_words: tuple[str, ...]
    police_words: tuple[str, ...]
    unit_count_re: str
    unit_descriptor_bodies: tuple[str, ...]
    min_unit_body: int
    max_unit_body: int
    bureau_anchor_re: str
    bureau_prefix_re: str
    class_prefix_re: str
    owner_body_ends: tuple[str, ...]
    bare_bureau_re: str
    bare_bureau_after: str
    issuer_alias_prefix_re: str
    court_anchor_re: str
    court_prefix_re: str
    congress_anchor_re: str
    congress_prefix_re: str
    party_committee_re: str
    rule_of_law_office_re: str
    government_re: str
    department_re: str
    department_full_stems: dict[str, str]
    issuer_alias_blocked_after: tuple[str, ...]
    department_stems: tuple[str, ...]
    department_generic_words: tuple[str, ...]
    department_heads: tuple[str, ...]
    platform_heads: dict[str, int]
    platform_blocked_after: tuple[str, ...]
    platform_body_bad_endings: tuple[str, ...]
    platform_list_heads: tuple[str, ...]
    app_suffixes: tuple[str, ...]
    quote_pairs: tuple[tuple[str, str], ...]
    ascii_quote: str
    program_min_chars: int
    program_max_chars: int
    short_program_followers: tuple[str, ...]
    not_program_followers: tuple[str, ...]
    not_program_endings: tuple[str, ...]
    not_program_words: tuple[str, ...]
    not_program_prefix3: tuple[str, ...]
    speech_marks: tuple[str, ...]
    slogan_item_starts: tuple[str, ...]
    attitude_leaders: tuple[str, ...]
    counted_set_heads: tuple[str, ...]
    numbered_program_re: str
    people_endings: tuple[str, ...]
    category_leaders: tuple[str, ...]
    coded_program_re: str
    coded_program_leaders: tuple[str, ...]
    coded_program_followers: tuple[str, ...]
    program_list_item_chars: tuple[int, int]
    program_list_max_chars: int
    outcome_item_re: str
    qualified_noun_re: str
    platform_followers: tuple[str, ...]
    platform_leaders: tuple[str, ...]
    platform_usage_leaders: tuple[str, ...]
    platform_usage_followers: tuple[str, ...]
    quote_chain_joiners: tuple[str, ...]
    quoted_platform_heads: tuple[str, ...]
    platform_content_heads: tuple[str, ...]
    program_suffixes: tuple[str, ...]
    counted_set_re: str
    program_name_suffixes: tuple[str, ...]
    program_year_re: str
    program_patterns: tuple[ProgramPattern, ...]
    place_suffixes: tuple[str, ...]
    title_re: str
    legal_heads: dict[str, tuple[str, ...]]
    law_blocked_after: tuple[str, ...]
    law_event_re: str
    book_title_re: str
    law_prefixes: tuple[str, ...]
    place_short_blocklist: tuple[str, ...]
    own_place_words: dict[str, tuple[str, ...]]
    place_heads: tuple[str, ...]
    division_heads: tuple[str, ...]
    place_blocked_after: tuple[str, ...]
    place_generic_bodies: tuple[str, ...]
    place_body_bad_endings: tuple[str, ...]
    regulation_anchor_re: str
    traditional_markers: str
    traditional_share: float
    program_needs_chinese: bool
    script_sample_chars: int
    max_place_body: int
    group_heads: tuple[str, ...]
    own_office_leaders: tuple[str, ...]
    joint_office_leaders: tuple[str, ...]
    central_office_re: str
    partner_body_re: str
    university_heads: tuple[str, ...]
    university_blocked_after: tuple[str, ...]
    university_bad_bodies: tuple[str, ...]
    bare_platforms: tuple[str, ...]
    platform_brand_re: str
    platform_descriptor_min: int
    platform_generic_body_max: int
    not_program_starts: tuple[str, ...]
    not_program_re: str
    slogan_chain_item_re: str
    campaign_head_re: str
    class_body_endings: tuple[str, ...]
    platform_owner_re: str
    court_anchor_words: tuple[str, ...]
    congress_anchor_words: tuple[str, ...]
    bureau_anchor_words: tuple[str, ...]
    party_committee_re_requires: str
    rule_of_law_office_re_requires: str
    government_re_requires: str
    department_re_requires: str
    government_center_words: tuple[str, ...]


@dataclass(frozen=True)
class ObservationsFile:
    """`schema/patterns/observations.json` (read by the `observations` component)."""

    units: tuple[str, ...]
    not_figure: str
    unit_cues: dict[str, str]
    unit_cue_chars: int
    unit_not_followed_by: dict[str, str]
    unit_forms: dict[str, str]
    multipliers: tuple[str, ...]
    approx_before: tuple[str, ...]
    approx_after_number: tuple[str, ...]
    approx_after_unit: tuple[str, ...]
    not_after: str
    not_before: str
    counting_cues: tuple[str, ...]
    quoted: str
    clause_break_chars: str
    clause_break_words: tuple[str, ...]
    time_prefix: str
    strip_prefixes: tuple[str, ...]
    strip_suffixes: tuple[str, ...]
    strip_inside: tuple[str, ...]
    each: str
    list_split: str
    period_date: str
    period_year: str
    min_indicator_chars: int


@dataclass(frozen=True)
class RelationsFile:
    """`schema/patterns/relations.json` (read by the `relations` component)."""

    clause_end_re: str
    clause_start_markers: tuple[str, ...]
    item_number_re: str
    subject_excluded_followers: tuple[str, ...]
    party_subject_re: str
    officer_followers: tuple[str, ...]
    issuer_subject_followers: tuple[str, ...]
    publisher_followers: tuple[str, ...]
    based_on_triggers: tuple[str, ...]
    based_on_studied: tuple[str, ...]
    occasion_re: str
    passive_marker: str
    cooperation_leads: tuple[str, ...]
    cooperation_partners: tuple[str, ...]
    cooperation_words: tuple[str, ...]
    list_joiners: tuple[str, ...]
    exemplar_lead: str
    exemplar_joiner: str
    exemplar_end_re: str


@dataclass(frozen=True)
class ReportMetadataFile:
    """`schema/patterns/report_metadata.json` (read by the `report_metadata` component)."""

    issuer_heads: tuple[str, ...]
    admin_suffixes: tuple[str, ...]
    leading_noise: tuple[str, ...]
    relative_starts: tuple[str, ...]
    branch_suffix: str
    header_keys: tuple[str, ...]
    published_label: str
    date: str
    source_name: str
    url: str
    title_words: tuple[str, ...]
    year: str
    chinese_year: str
    breadcrumb: str
    sentence_end: str


@dataclass(frozen=True)
class ReportStructureFile:
    """`schema/patterns/report_structure.json` (read by the `report_structure` component)."""

    heading_styles: tuple[HeadingStyle, ...]
    inline_markers: str
    numerals: str
    problem_cue: str
    problem_title: str
    problem_heading: str
    plan_cue: str
    plan_heading: str
    plan_title_skip: str
    plan_title_verbs: str
    plan_title_noise: str
    boxed_label: str
    default_problem_title: str
    default_plan_title: str
    closing_line: str
    title_end: str
    max_title_chars: int


#: The schema of each rule file, by the file's name (and the component that reads it).
SCHEMAS: dict[str, type] = {
    "entity_rules": EntityRulesFile,
    "observations": ObservationsFile,
    "relations": RelationsFile,
    "report_metadata": ReportMetadataFile,
    "report_structure": ReportStructureFile,
}
