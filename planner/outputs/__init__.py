"""Files the planner makes from its data: calendars (``calendar``), QR tickets and reading
them back from photos (``qr``, ``qrscan``), the printable door list (``door_list``). Each is
built with the library made for it, never by hand."""
