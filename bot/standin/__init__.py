"""Slack from the outside: `server.SlackStandIn`, a Web API stand-in on loopback, and
`signing.SignedSender`, which sends the app signed commands, events and button presses."""

__all__: list[str] = []
