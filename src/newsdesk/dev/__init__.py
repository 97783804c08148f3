"""Development tools: the demo, bulk seeding for benchmarks, throwaway servers.

    dev/demo.py, demo.json     the demo content (the seed page's site) and its loader
    dev/seeding.py             realistic articles in bulk (`newsdesk seed-data`)
    dev/servers.py             throwaway PostgreSQL and Redis servers for tests and CI
    dev/management/commands/   `newsdesk demo` and `newsdesk seed-data`

It sits above every other app (it may import any of them; none imports it) and
is left out of the built wheel: a checkout has it, an installed package doesn't.
"""
