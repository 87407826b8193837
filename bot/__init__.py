"""ragft's Slack face: the only layer that does I/O with Slack, Redis and the terminal.

Imports flow bot -> conversations -> engine (tests/test_boundaries.py keeps it so).

    bootstrap.py      process start-up: connect_redis(settings), and the composition root
                      build(settings, redis) -> Services, for every process
    services.py       Services (store, revisit queue, scheduler, ticker, Web API client, clock)
    slack_client.py   build_client: the Web API client and its retry policy
    app.py            create_app(settings, services): the Bolt app and its error handler
    owed.py           what an acknowledged step or start still owes Slack, delivered after the ack
    sweeper.py        what is still owed once it comes due (a dead process, a refusing Slack)
    payload.py        the one reader of Slack request bodies (team, user, channel, thread)
    access.py         who may act: the owner check, a workspace admin, a deactivated owner
    command_text.py   the `/ragft` verbs, one row each, and what a person typed after `/ragft`
    interview.py      the interview's effects turned into Slack messages; start_assessment
    listeners/        one module per Slack surface, each with register(app, services); each
                      handler Bolt's ack/lazy pair (listeners/lazily.py)
    views/            Block Kit messages and every Slack sentence (text.py)
    revisits/         revisit reminders: scheduler, sender, ticker
    server.py         gunicorn + WSGI (/slack/events, /healthz)
    settings.py  errors.py  log.py
    cli/              the `ragft` command, one module per subcommand
    playground/       `ragft playground`: the real app, chatted with in a terminal
    standin/          a Slack Web API stand-in and a request signer (playground and tests)
"""

__all__: list[str] = []
