"""`essaimage editer`: a local form in the browser for descriptors, profiles and plans.

`fields` turns a file's data into the form's fields (from the models' French titles, descriptions
and examples) and the form's values back into data; `yaml_edit` writes that data into the file's
text, changing only the values that changed; `page` renders the form and its findings; `server`
is the loopback HTTP server with its token, cookie and origin checks.
"""
