"""Files the app ships: rubrics, statements, icons. Read them with importlib.resources."""
