"""Writes the golden response files of this folder as spreadsheet programs write them.

    .venv/bin/python tests/issues/files/make_samples.py

- responses_excel.xlsx: Excel, loose headers, an extra column, dates as date cells, as text and
  as bare serial numbers, Arabic, Chinese, Russian, Korean and accented text, the spellings of
  countries and stakeholder groups people use, and 5,000 formatted blank rows at the end;
- responses_utf8.csv: Excel's "CSV UTF-8" in a European locale (byte-order mark, semicolons,
  CRLF, an answer with line breaks inside quotes) with 3,000 empty rows (";;;;") at the end;
- responses_windows.csv: Excel's plain "CSV" on Western Windows (Windows-1252, semicolons,
  CRLF), accented text and dates written day first;
- responses_errors.xlsx and responses_errors.csv: one mistake per row and an unknown question
  column.
"""

# ruff: noqa: DTZ001 - spreadsheet cells hold local times without a zone

import csv
import datetime
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

HERE = Path(__file__).resolve().parent

AR_Q2A = (
    "يكتسب التعاون المعزز أهمية كبيرة لأنه يمكّن الحكومات، على قدم المساواة، من الاضطلاع "
    "بأدوارها ومسؤولياتها في قضايا السياسات العامة الدولية المتصلة بالإنترنت."
)
AR_Q4 = "الأمن السيبراني، وحماية الأطفال على الإنترنت، وأسماء النطاقات الدولية باللغة العربية."
ZH_Q4 = "互联网国际公共政策问题包括：网络安全、打击网络犯罪、跨境数据流动以及多语种域名。"
RU_Q4 = (
    "Интернационализация управления корневой зоной; международная информационная "
    "безопасность; противодействие киберпреступности."
)
KO_Q15 = "개발도상국에는 광대역 접근성, 역량 강화 및 사이버 보안 협력이 특히 중요합니다."
FR_Q2A = (
    "La coopération renforcée doit permettre aux gouvernements, sur un pied d'égalité, "
    "d'exercer leur rôle à l'égard des questions de politique publique internationale."
)

HEADERS = [
    "Respondent ID",
    "Submitted",
    " Name ",
    "Organisation",
    "Country",
    "Stakeholder Group",
    "consent to cite",
    "Q2a",
    "Q4",
    "Q15",
    "Notes of the secretariat",
]


def excel_rows() -> list[list]:
    return [
        [
            None,
            datetime.datetime(2013, 9, 4, 7, 45),
            "Communications and Information Technology Commission",
            "هيئة الاتصالات وتقنية المعلومات",
            "Saudi Arabia",
            "Government",
            "Yes",
            AR_Q2A,
            AR_Q4,
            None,
            "received by e-mail",
        ],
        [
            None,
            "17/09/2013 14:30",
            "Internet Society of China",
            "中国互联网协会",
            "China",
            "Civil Society",
            "yes",
            None,
            ZH_Q4,
            None,
            None,
        ],
        [
            None,
            41529.5,  # 12 September 2013, noon, as a bare serial number
            "Координационный центр доменов .RU/.РФ",
            "Координационный центр национального домена сети Интернет",
            "Russia",
            "Technical community",
            "No",
            None,
            RU_Q4,
            None,
            None,
        ],
        [
            None,
            "2013-09-12",
            "Ministère de l'Économie numérique",
            "République de Côte d'Ivoire",
            "Côte d'Ivoire",
            "Governments",
            "Oui",
            FR_Q2A,
            None,
            None,
            None,
        ],
        [
            None,
            datetime.datetime(2013, 9, 16, 18, 0),
            "ICC BASIS",
            "International Chamber of Commerce",
            "USA",
            "Business",
            "Y",
            None,
            "+ broadband investment; - spam; = the rule of law online",
            None,
            None,
        ],
        [
            None,
            datetime.datetime(2013, 9, 13, 9, 0),
            "Korea Internet & Security Agency",
            "KISA",
            "Korea, Republic of",
            "Academia",
            "No",
            None,
            None,
            KO_Q15,
            None,
        ],
        [
            None,
            datetime.datetime(2013, 9, 9, 11, 20),
            "Ministry of Information and Communications Technology",
            "Islamic Republic of Iran",
            "Iran (Islamic Republic of)",
            "GOVERNMENT",
            "yes",
            None,
            "The internationalisation of the oversight of critical Internet resources.",
            "Affordable access and local content.",
            None,
        ],
        [
            None,
            datetime.datetime(2013, 9, 2, 15, 5),
            "Nominet",
            "Nominet UK",
            "UK",
            "Technical and academic community",
            "Yes",
            None,
            "Multistakeholder management of the domain name system.",
            None,
            None,
        ],
        [
            None,
            datetime.datetime(2013, 9, 17, 8, 0),
            "International Telecommunication Union",
            "ITU",
            None,
            "International organisation",
            "Yes",
            None,
            "Cybersecurity, child online protection and broadband for all.",
            None,
            None,
        ],
    ]


def write_excel() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    sheet.append(HEADERS)
    for row in excel_rows():
        sheet.append(row)
    # A formatted but empty tail, as spreadsheet programs leave after a deleted range.
    grey = PatternFill("solid", fgColor="EEEEEE")
    for number in range(sheet.max_row + 1, sheet.max_row + 5001):
        sheet.cell(row=number, column=1).fill = grey
    workbook.save(HERE / "responses_excel.xlsx")


def _csv(rows: list[list], encoding: str, name: str, blank_tail: int = 0) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    text = buffer.getvalue() + ";;;;;;;;\r\n" * blank_tail
    data = text.encode(encoding)
    if encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    (HERE / name).write_bytes(data)


def write_csvs() -> None:
    headers = ["Respondent ID", "Submitted", "Name", "Organisation", "Country",
               "Stakeholder group", "Consent to cite", "Q4", "Q10"]  # fmt: skip
    _csv(
        [
            headers,
            [
                "",
                "04/09/2013 07:45",
                "Communications and Information Technology Commission",
                "هيئة الاتصالات وتقنية المعلومات",
                "SA",
                "governments",
                "Yes",
                AR_Q4,
                "",
            ],
            [
                "",
                "2013-09-17 14:30",
                "Internet Society of China",
                "中国互联网协会",
                "CHN",
                "Civil society",
                "Yes",
                ZH_Q4,
                "",
            ],
            [
                "",
                "12.09.2013",
                "Координационный центр доменов .RU/.РФ",
                "",
                "Russian Federation",
                "Technical and academic community",
                "No",
                RU_Q4,
                "Первое: наращивание потенциала.\r\nВторое: региональная координация.",
            ],
        ],  # fmt: skip
        "utf-8",
        "responses_utf8.csv",
        blank_tail=3000,
    )
    _csv(
        [
            headers,
            [
                "",
                "16/09/2013 10:00",
                "Secretaría de Comunicaciones y Transportes",
                "SCT",
                "México",
                "Government",
                "Sí",
                "Acceso asequible, ciberseguridad y protección de datos personales.",
                "",
            ],
            [
                "",
                "15/09/2013",
                "Association française pour le nommage Internet en coopération",
                "AFNIC",
                "France",
                "Technical community",
                "Non",
                "Gouvernance du système des noms de domaine; neutralité du réseau.",
                "",
            ],
            [
                "",
                "2013-09-14",
                "Ministère des Postes et des Télécommunications",
                "",
                "Sénégal",
                "Gouvernements",
                "oui",
                "",
                "Renforcement des capacités et participation à distance.",
            ],
        ],  # fmt: skip
        "cp1252",
        "responses_windows.csv",
    )


ERROR_HEADERS = ["Respondent ID", "Submitted", "Name", "Organisation", "Country",
                 "Stakeholder group", "Consent to cite", "Q4", "Q99"]  # fmt: skip
ERROR_ROWS = [
    ["", "2013-09-10", "Media Freedom Network", "", "Brazil", "Media", "Yes", "Press freedom.", ""],
    ["", "2013-09-11", "Open Rights Group", "", "UK", "Civil society", "maybe", "Privacy.", ""],
    ["", "31/02/2013", "Digital Africa", "", "Kenya", "Civil society", "Yes", "Access.", ""],
    ["", "2013-09-12", "", "An organisation without a name", "Ghana", "Business", "No",
     "Answers with no name.", ""],
    ["", "2013-09-13", "Lost Island Ministry", "", "Atlantis", "Government", "Yes", "Spam.", ""],
    ["999999", "2013-09-14", "Ministry of Communications", "", "Chile", "Government", "Yes",
     "Broadband.", ""],
    ["", "2013-09-15", "A valid row", "", "Peru", "Government", "Yes", "Still not written.", ""],
]  # fmt: skip


def write_errors() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    sheet.append(ERROR_HEADERS)
    for row in ERROR_ROWS:
        sheet.append(row)
    workbook.save(HERE / "responses_errors.xlsx")
    _csv([ERROR_HEADERS, *ERROR_ROWS], "utf-8", "responses_errors.csv")


if __name__ == "__main__":
    write_excel()
    write_csvs()
    write_errors()
