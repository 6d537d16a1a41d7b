import pytest
from django.core.exceptions import ValidationError

from wgec.text_checks import control_character_problem, refuse_control_characters


def test_nul_is_refused_naming_the_field_and_position():
    message = control_character_problem("Ada\x00Lovelace", field="Your name")
    assert message == (
        "“Your name” contains a NUL character (U+0000) at character 4; "
        "remove it (this field takes a single line of plain text)."
    )


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\x9b", "\ud800"])
def test_other_control_characters_and_lone_surrogates_are_refused_even_in_multiline_text(char):
    assert control_character_problem(f"a{char}b", field="Comment", multiline=True)


@pytest.mark.parametrize("char", ["\n", "\r", "\t", "\u2028", "\u2029"])
def test_line_breaks_and_tabs_are_refused_in_single_line_text(char):
    message = control_character_problem(f"Ada{char}Bcc: x@example.org", field="Name")
    assert message.startswith("“Name” contains ")


def test_tabs_and_line_breaks_are_allowed_in_multiline_text():
    assert control_character_problem("a\tb\r\nc\n", field="Comment", multiline=True) is None


def test_ordinary_text_in_any_script_passes():
    assert control_character_problem("Çà ² 国际 ‏שלום‎ —", field="Name") is None


def test_an_import_message_names_the_row_and_column():
    message = control_character_problem("x\x00", field="Name", row=7, column="Respondent")
    assert message.startswith("Row 7, column “Respondent” (Name) contains a NUL character")


def test_the_validator_raises_the_same_message():
    validate = refuse_control_characters(field="Title")
    with pytest.raises(ValidationError) as caught:
        validate("a\x00")
    assert "“Title” contains a NUL character" in caught.value.messages[0]
    validate("fine")
