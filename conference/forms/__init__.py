"""The conference's forms, by audience: public (registration, delegation), organiser,
on site, after."""
