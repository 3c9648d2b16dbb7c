"""A program's schedule in a calendar: the iCalendar file (:mod:`.ics`) and the dates of
its training days (:mod:`.dates`)."""
