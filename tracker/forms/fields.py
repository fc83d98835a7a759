from wtforms import DateField
from wtforms.validators import ValidationError

from .. import clock
from ..services.deadlines import SANE_YEARS, within_sane_range


class DayMonthYearField(DateField):
    """A date typed as day, month and year boxes (GOV.UK date input).

    The widget needs exactly three values; a request with more, fewer or none is padded or cut
    here, so it gets a validation message instead of an error page.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        valuelist = (list(valuelist) + ["", "", ""])[:3]
        self.raw_data = valuelist
        if not any(value.strip() for value in valuelist):
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form) -> None:
        """No date a person types is more than SANE_YEARS from today (31/12/9999 is not a deadline)."""
        super().pre_validate(form)
        if self.data is not None and not within_sane_range(self.data, clock.today()):
            raise ValidationError(f"Enter a date within {SANE_YEARS} years of today")
