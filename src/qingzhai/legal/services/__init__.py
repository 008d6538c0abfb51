"""Every write of the legal room: proceedings and their deadlines, generated documents."""
