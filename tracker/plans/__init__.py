"""Reading an existing action plan from a spreadsheet: pure functions, no database, no Flask.

`read_plan(data, today)` gives a Plan: its recommendations, the steps under them, and each
row's problems and notes. `tracker/services/imports/plan_import.py` turns a Plan into saved actions."""

from .build import Plan, PlanMappingError, PlanRecommendation, PlanRow, plan_from_workbook, read_plan
from .columns import KINDS, Column
from .dates import DateReading, read_date
from .errors import PlanReadError
from .sheets import MAX_FILE_BYTES, MAX_ROWS, read_workbook
from .statuses import read_status

__all__ = [
    "KINDS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Column",
    "DateReading",
    "Plan",
    "PlanMappingError",
    "PlanReadError",
    "PlanRecommendation",
    "PlanRow",
    "plan_from_workbook",
    "read_date",
    "read_plan",
    "read_status",
    "read_workbook",
]
