"""The conference's screens, by audience: public (the programme, registration, the private
link), organiser, on site, after."""
