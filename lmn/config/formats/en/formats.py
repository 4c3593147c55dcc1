"""English as read in Sweden: day before month, 24-hour clock, ISO dates in tables.

Django's "en" formats are American (month first, a.m./p.m.); staff switch language to
read the words, not to get another date order. Swedish uses Django's "sv" formats.
"""

DATE_FORMAT = "j F Y"  # 25 October 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"  # the same unambiguous ISO date as in Swedish
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# what the forms accept: ISO first, as printed and as the date inputs send
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
