"""`lamina studio`: a local web page to browse and edit the data, see the schema's diagram and
the migration history (`pip install 'lamina[studio]'`: Starlette, uvicorn, Jinja2).

    data.py      reads and writes through a client generated for the schema
    app.py       the pages, and the token / Host / Origin guard
    diagram.py   the schema page's SVG (Graphviz when installed, else a simple grid)
    history.py   the Migrations page: `migrate status` as data, with each migration's SQL and logs
"""
