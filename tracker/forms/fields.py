from wtforms import DateField


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
